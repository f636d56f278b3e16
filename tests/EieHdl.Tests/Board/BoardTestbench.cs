using System.Globalization;
using System.Text;
using EieHdl.Hardware;

namespace EieHdl.Tests.Board;

/// <summary>
/// A plain Verilog-2005 testbench for a board top, for simulators other than Verilator
/// (Icarus: <c>iverilog -g2005 -s eie_board_tb</c>). It plays the PC: a script of 12-bit words,
/// read with <c>$readmemh</c> from <see cref="ScriptFile"/>, either sends a byte on uart_rx_i
/// (<c>0XX</c>) or waits until the board has sent KK more bytes (<c>1KK</c>); every byte the
/// board sends is written as hex to <see cref="RepliesFile"/>. <see cref="Script"/> turns
/// protocol frames into that script, waiting for each reply as the protocol requires.
/// </summary>
public static class BoardTestbench
{
    public const string Module = "eie_board_tb";
    public const string ScriptFile = "uart_script.hex";
    public const string RepliesFile = "uart_replies.hex";

    /// <summary>The script words of <paramref name="frames"/>: their bytes, then a wait for each reply.</summary>
    public static string Script(IEnumerable<UartFrame> frames)
    {
        var s = new StringBuilder();
        foreach (var f in frames)
        {
            foreach (var b in f.Bytes) s.Append(string.Create(CultureInfo.InvariantCulture, $"0{b:x2}\n"));
            if (f.ReplyBytes > 255) throw new ArgumentOutOfRangeException(nameof(frames), "a reply longer than 255 bytes");
            if (f.ReplyBytes > 0) s.Append(string.Create(CultureInfo.InvariantCulture, $"1{f.ReplyBytes:x2}\n"));
        }
        return s.ToString();
    }

    /// <summary>The testbench for <paramref name="top"/>; <paramref name="maxCycles"/> bounds the whole run.</summary>
    public static string Verilog(BoardTop top, int scriptWords, long maxCycles)
    {
        int d = top.Timing.Divisor;
        bool button = top.Board.ResetButton is not null;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            `default_nettype none
            // {{Module}}: the PC side of {{top.ModuleName}}'s UART in plain Verilog ({{d}} clocks per bit).
            // Script words from {{ScriptFile}}: 0XX sends byte XX on uart_rx_i; 1KK waits until
            // the board has sent KK more bytes. Received bytes go to {{RepliesFile}}, one per line.
            // Ends with $finish when the script is done, or with an error after {{maxCycles}} cycles.
            module {{Module}};
              reg clk = 1'b0;
              reg rx = 1'b1;
              wire tx;
              wire led_alive, led_busy, led_done, led_error;
              reg [11:0] script [0:{{scriptWords - 1}}];
              integer fd, pc, bit, got, want, cycles, sample;
              reg [7:0] rbyte;

              {{top.ModuleName}} dut (
                .clk_i       (clk),
            {{(button ? "    .rst_btn_ni  (1'b1),\n" : "")}}    .uart_rx_i   (rx),
                .uart_tx_o   (tx),
                .led_alive_o (led_alive),
                .led_busy_o  (led_busy),
                .led_done_o  (led_done),
                .led_error_o (led_error)
              );

              always #5 clk = ~clk;

              // The board's bytes: a falling edge, then one sample in the middle of each bit.
              initial begin
                got = 0;
                forever begin
                  @(negedge tx);
                  repeat ({{d / 2}}) @(posedge clk);
                  for (sample = 0; sample < 8; sample = sample + 1) begin
                    repeat ({{d}}) @(posedge clk);
                    rbyte[sample] = tx;
                  end
                  repeat ({{d}}) @(posedge clk);
                  if (!tx) begin
                    $display("{{Module}}: ERROR: stop bit low in a byte from the board");
                    $finish;
                  end
                  $fwrite(fd, "%02x\n", rbyte);
                  got = got + 1;
                end
              end

              initial begin
                cycles = 0;
                forever begin
                  @(posedge clk);
                  cycles = cycles + 1;
                  if (cycles > {{maxCycles}}) begin
                    $display("{{Module}}: ERROR: timeout after {{maxCycles}} cycles at script word %0d", pc);
                    $finish;
                  end
                end
              end

              initial begin
                $readmemh("{{ScriptFile}}", script);
                fd = $fopen("{{RepliesFile}}", "w");
                want = 0;
                repeat ({{4 + BoardTop.ResetCycles}}) @(posedge clk);
                for (pc = 0; pc < {{scriptWords}}; pc = pc + 1) begin
                  if (script[pc][8]) begin
                    want = want + script[pc][7:0];
                    wait (got >= want);
                  end else begin
                    for (bit = 0; bit < 10; bit = bit + 1) begin
                      rx = (bit == 0) ? 1'b0 : (bit == 9) ? 1'b1 : script[pc][bit - 1];
                      repeat ({{d}}) @(posedge clk);
                    end
                  end
                end
                $fclose(fd);
                $display("{{Module}}: done, %0d bytes received, %0d cycles", got, cycles);
                $finish;
              end
            endmodule
            `default_nettype wire

            """);
    }
}

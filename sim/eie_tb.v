// eie_tb.v: portable self-checking testbench for the generated eie_top with the simple host
// bus (EieHdl). Verilog-2005 only; runs under `iverilog -g2005` + `vvp` and `verilator --binary`.
//
// It drives eie_top through its host bus only (the front door), from a transaction file that
// EieHdl's TestbenchWriter writes with the golden model's expected outputs, and ends with
// one line `PASS <n> outputs, <m> cycles` or `FAIL ...` and $finish. The transaction file, the
// parameters of tb_params.vh, the checks and the waveform plusargs are those of
// eie_tb_common.vh; this file holds the host bus side:
// a write is one bus cycle (host_valid_i = host_we_i = 1), writes go back to back; a read is
// one request cycle and must answer exactly 2 cycles after its request (host_rvalid_o), else
// FAIL.

`timescale 1ns / 1ps
`include "tb_params.vh"

`default_nettype none

module eie_tb;

`include "eie_tb_common.vh"

  reg valid = 1'b0;
  reg we = 1'b0;
  reg [AW-1:0] addr = {AW{1'b0}};
  reg [DW-1:0] wdata = {DW{1'b0}};
  wire rvalid;
  wire [DW-1:0] rdata;

  eie_top dut (
    .clk_i        (clk),
    .rst_ni       (rst_n),
    .host_valid_i (valid),
    .host_we_i    (we),
    .host_addr_i  (addr),
    .host_wdata_i (wdata),
    .host_rvalid_o(rvalid),
    .host_rdata_o (rdata),
    .busy_o       (busy),
    .done_o       (done),
    .error_o      (error)
  );

  // The request stays on the bus until the next transaction replaces or drops it.
  task bus_write(input [AW-1:0] a, input [DW-1:0] d);
    begin
      valid = 1'b1;
      we = 1'b1;
      addr = a;
      wdata = d;
    end
  endtask

  // Request at this falling edge, taken at the next rising edge; the answer is valid after
  // the second rising edge, i.e. at the second falling edge from now.
  task bus_read(input [AW-1:0] a);
    begin
      valid = 1'b1;
      we = 1'b0;
      addr = a;
      @(negedge clk);
      valid = 1'b0;
      @(negedge clk);
      if (!rvalid) begin
        $display("FAIL read of address 0x%h (transaction %0d): no answer 2 cycles after the request", a, i);
        bus_fail = 1'b1;
      end else begin
        got = rdata;
      end
    end
  endtask

  task bus_idle;
    valid = 1'b0;
  endtask

  // The simple bus has no state to check at the end.
  task bus_end(output bad);
    bad = 1'b0;
  endtask

  task bus_pass;
    $display("PASS %0d outputs, %0d cycles", outputs, cycles);
  endtask

endmodule

`default_nettype wire

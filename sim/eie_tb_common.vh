// eie_tb_common.vh: the host-bus-independent part of EieHdl's portable testbenches
// (sim/eie_tb.v for the simple host bus, sim/eie_tb_axil.v for AXI4-Lite), `included inside
// their module eie_tb. Verilog-2005 only.
//
// It declares the clock, reset and status wires, dumps waves on request, reads the transaction
// file and runs it, compares every read with its expected value and prints the verdict line.
// The including module connects clk, rst_n, busy, done and error to eie_top and defines the
// bus tasks, each entered at a falling clock edge (inputs change at falling edges only;
// eie_top samples them at the rising edge between):
//   bus_write(a, d)  write host word d to host address a
//   bus_read(a)      read host address a into got
//   bus_idle         drop every request signal (no time passes)
//   bus_end(bad)     after the last transaction: final bus checks; prints a FAIL line and
//                    sets bad when the bus itself failed
//   bus_pass         prints the PASS line (outputs, cycles and the bus's own counts)
// A bus task that fails prints one FAIL line and sets bus_fail; the run then stops.
//
// tb_params.vh (generated for the config) defines:
//   TB_PES      PEs of the design (output i lives in PE i mod TB_PES)
//   TB_ADDR_W   host address width          TB_DATA_W  host word width
//   TB_ACT_W    activation width (outputs are printed as signed TB_ACT_W-bit values)
//   TB_ADDR_D   hex digits of the address field (ceil(TB_ADDR_W / 4))
//   TB_DATA_D   hex digits of the data and expected fields (ceil(TB_DATA_W / 4))
//   TB_N        number of transactions (lines of TB_FILE)
//   TB_FILE     the transaction file, a string, read with $readmemh
//
// Transaction file: one transaction per line, one hex number of 1 + TB_ADDR_D + 2*TB_DATA_D
// digits, no separators, fields from the most significant digit down:
//   kind (1 digit) | address (TB_ADDR_D) | data (TB_DATA_D) | expected (TB_DATA_D)
// kind 0  write: data to address
// kind 1  read and expect: read address, compare the answer (all TB_DATA_W bits) with
//         expected; data = the output index the read belongs to (used in messages)
// kind 2  wait for done: until done_o is 1, at most data cycles (else FAIL timeout)
// kind 3  read cycles: read address (the CCU cycle counter); reported in the final line
// kind f  end (optional: the file ends after TB_N lines anyway)
//
// Waveforms: plusarg +vcd dumps every signal of eie_tb and eie_top to eie_tb.vcd, +vcd=FILE
// to FILE (Icarus writes FST instead when vvp is also given -fst). Without +vcd nothing is
// dumped, and the output is the same as without this feature.

  localparam integer PES  = `TB_PES;
  localparam integer AW   = `TB_ADDR_W;
  localparam integer DW   = `TB_DATA_W;
  localparam integer ACTW = `TB_ACT_W;
  localparam integer AD   = `TB_ADDR_D;
  localparam integer DD   = `TB_DATA_D;
  localparam integer N    = `TB_N;
  localparam integer LW   = 4 + 4 * AD + 8 * DD;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  wire busy;
  wire done;
  wire error;

  always #5 clk = ~clk;

  // Dump only on request: a full-run VCD of a real model is large and slows the simulation.
  reg [8*256-1:0] wave_file;
  initial begin
    if ($test$plusargs("vcd")) begin
      if (!$value$plusargs("vcd=%s", wave_file)) wave_file = "eie_tb.vcd";
      $dumpfile(wave_file);
      $dumpvars(0, eie_tb);
    end
  end

  reg [LW-1:0] trans [0:N-1];
  reg [LW-1:0] line;
  reg [3:0] kind;
  reg [4*AD-1:0] t_addr;
  reg [4*DD-1:0] t_data;
  reg [4*DD-1:0] t_exp;
  reg [DW-1:0] got;
  reg [DW-1:0] bad_exp;
  reg [DW-1:0] bad_got;
  reg [ACTW-1:0] act_exp;
  reg [ACTW-1:0] act_got;
  reg stop;
  reg failed;
  reg bus_fail = 1'b0;
  reg bus_bad;
  integer i;
  integer outputs;
  integer mismatches;
  integer bad_index;
  integer cycles;
  integer waited;
  integer limit;

  initial begin
    $readmemh(`TB_FILE, trans);
    stop = 1'b0;
    failed = 1'b0;
    outputs = 0;
    mismatches = 0;
    bad_index = -1;
    cycles = -1;
    bad_exp = {DW{1'b0}};
    bad_got = {DW{1'b0}};

    // Reset: two cycles low, released at a falling edge.
    @(negedge clk);
    @(negedge clk);
    rst_n = 1'b1;

    for (i = 0; i < N && !stop; i = i + 1) begin
      line = trans[i];
      kind = line[LW-1:LW-4];
      t_addr = line[LW-5:8*DD];
      t_data = line[8*DD-1:4*DD];
      t_exp = line[4*DD-1:0];
      @(negedge clk);
      case (kind)
        4'h0: begin
          bus_write(t_addr[AW-1:0], t_data[DW-1:0]);
          if (bus_fail) begin
            failed = 1'b1;
            stop = 1'b1;
          end
        end
        4'h1, 4'h3: begin
          bus_read(t_addr[AW-1:0]);
          if (bus_fail) begin
            failed = 1'b1;
            stop = 1'b1;
          end else if (kind == 4'h3) begin
            cycles = got[31:0];
          end else begin
            outputs = outputs + 1;
            if (got !== t_exp[DW-1:0]) begin
              mismatches = mismatches + 1;
              if (bad_index < 0) begin
                bad_index = t_data[31:0];
                bad_exp = t_exp[DW-1:0];
                bad_got = got;
                act_exp = bad_exp[ACTW-1:0];
                act_got = bad_got[ACTW-1:0];
                $display("MISMATCH output %0d (PE %0d): expected 0x%h (%0d), got 0x%h (%0d)",
                         bad_index, bad_index % PES, bad_exp, $signed(act_exp), bad_got, $signed(act_got));
              end
            end
          end
        end
        4'h2: begin
          bus_idle;
          limit = t_data[31:0];
          waited = 0;
          while (!done && waited < limit) begin
            @(negedge clk);
            waited = waited + 1;
          end
          if (!done) begin
            $display("FAIL timeout: done_o still 0 after %0d cycles (transaction %0d)", waited, i);
            failed = 1'b1;
            stop = 1'b1;
          end
        end
        4'hf: begin
          bus_idle;
          stop = 1'b1;
        end
        default: begin
          $display("FAIL transaction %0d: unknown kind %h", i, kind);
          failed = 1'b1;
          stop = 1'b1;
        end
      endcase
    end
    @(negedge clk);
    bus_idle;
    bus_end(bus_bad);

    if (!bus_bad && !failed) begin
      if (error) begin
        $display("FAIL error_o is set (a PE addressed a row past its accumulators), %0d outputs, %0d cycles", outputs, cycles);
      end else if (mismatches != 0) begin
        $display("FAIL %0d of %0d outputs differ, first output %0d (PE %0d): expected %0d, got %0d; %0d cycles",
                 mismatches, outputs, bad_index, bad_index % PES, $signed(act_exp), $signed(act_got), cycles);
      end else if (outputs == 0) begin
        $display("FAIL no outputs were checked");
      end else begin
        bus_pass;
      end
    end
    $finish;
  end

// eie_tb_axil.v: portable self-checking testbench for the generated eie_top with HostBus
// axi4lite (EieHdl), written into a testbench bundle as eie_tb.v. Verilog-2005 only; runs under
// `iverilog -g2005` + `vvp` and `verilator --binary`.
//
// It drives eie_top through its AXI4-Lite slave only, from the same transaction file as the
// simple-bus testbench (sim/eie_tb.v: host word addresses and data), and ends with one line
// `PASS <n> outputs, <m> cycles, <w> AXI writes, <r> AXI reads` or `FAIL ...` and $finish.
// A host word is TB_LANES 32-bit lanes at byte address {word address, lane, 2'b00}: a write
// sends its nonzero high lanes first and lane 0 last (lane 0 commits the word); a read reads
// lane 0 (every word the host reads is at most 32 bits). BREADY and RREADY are driven low in
// pseudo-random cycles (an LFSR), so every response is also held under back-pressure.
//
// An AXI4-Lite checker samples every channel at every rising edge and counts a violation for:
// a VALID dropped before its READY, a payload changed while VALID and not READY, BVALID without
// a write whose AW and W were both taken in an earlier cycle, RVALID without such a read, a RESP
// other than OKAY (0), and a request left without its one response at the end. Any violation,
// and any response other than OKAY, makes the run FAIL.
//
// tb_params.vh (generated for the config) defines, beyond those of sim/eie_tb.v:
//   TB_AXI_AW   s_axil_awaddr / araddr width      TB_LANES  32-bit lanes per host word
//   TB_LANE_W   address bits of the lane (log2 TB_LANES)
//
// Transaction file: as sim/eie_tb.v (kind | address | data | expected, hex).
//
// Waveforms: plusarg +vcd dumps every signal of eie_tb and eie_top to eie_tb.vcd, +vcd=FILE
// to FILE (Icarus writes FST instead when vvp is also given -fst).

`timescale 1ns / 1ps
`include "tb_params.vh"

`default_nettype none

module eie_tb;

  localparam integer PES  = `TB_PES;
  localparam integer AW   = `TB_ADDR_W;
  localparam integer DW   = `TB_DATA_W;
  localparam integer ACTW = `TB_ACT_W;
  localparam integer AD   = `TB_ADDR_D;
  localparam integer DD   = `TB_DATA_D;
  localparam integer N    = `TB_N;
  localparam integer LW   = 4 + 4 * AD + 8 * DD;
  localparam integer AAW  = `TB_AXI_AW;
  localparam integer LANES = `TB_LANES;
  localparam integer LNW  = `TB_LANE_W;
  localparam integer GUARD = 1000;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg awvalid = 1'b0;
  reg [AAW-1:0] awaddr = {AAW{1'b0}};
  reg wvalid = 1'b0;
  reg [31:0] wdata = 32'd0;
  reg [3:0] wstrb = 4'd0;
  reg bready = 1'b0;
  reg arvalid = 1'b0;
  reg [AAW-1:0] araddr = {AAW{1'b0}};
  reg rready = 1'b0;
  wire awready;
  wire wready;
  wire bvalid;
  wire [1:0] bresp;
  wire arready;
  wire rvalid;
  wire [31:0] rdata;
  wire [1:0] rresp;
  wire busy;
  wire done;
  wire error;

  eie_top dut (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .busy_o        (busy),
    .done_o        (done),
    .error_o       (error),
    .s_axil_awvalid(awvalid),
    .s_axil_awready(awready),
    .s_axil_awaddr (awaddr),
    .s_axil_awprot (3'd0),
    .s_axil_wvalid (wvalid),
    .s_axil_wready (wready),
    .s_axil_wdata  (wdata),
    .s_axil_wstrb  (wstrb),
    .s_axil_bvalid (bvalid),
    .s_axil_bready (bready),
    .s_axil_bresp  (bresp),
    .s_axil_arvalid(arvalid),
    .s_axil_arready(arready),
    .s_axil_araddr (araddr),
    .s_axil_arprot (3'd0),
    .s_axil_rvalid (rvalid),
    .s_axil_rready (rready),
    .s_axil_rdata  (rdata),
    .s_axil_rresp  (rresp)
  );

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

  // ---- AXI4-Lite checker: every rule at every rising edge ----
  reg p_awv, p_awr, p_wv, p_wr, p_bv, p_br, p_arv, p_arr, p_rv, p_rr;
  reg [AAW-1:0] p_awaddr;
  reg [AAW-1:0] p_araddr;
  reg [31:0] p_wdata;
  reg [3:0] p_wstrb;
  reg [1:0] p_bresp;
  reg [31:0] p_rdata;
  reg [1:0] p_rresp;
  reg checking = 1'b0;
  integer n_aw = 0;
  integer n_w = 0;
  integer n_b = 0;
  integer n_ar = 0;
  integer n_r = 0;
  integer violations = 0;

  task violation(input [8*64-1:0] rule);
    begin
      if (violations == 0) $display("AXI CHECK at %0t: %0s", $time, rule);
      violations = violations + 1;
    end
  endtask

  always @(posedge clk) begin
    if (rst_n) begin
      if (checking) begin
        if (p_awv && !p_awr && !awvalid) violation("AWVALID dropped before AWREADY");
        if (p_awv && !p_awr && awaddr !== p_awaddr) violation("AWADDR changed while AWVALID && !AWREADY");
        if (p_wv && !p_wr && !wvalid) violation("WVALID dropped before WREADY");
        if (p_wv && !p_wr && (wdata !== p_wdata || wstrb !== p_wstrb)) violation("WDATA/WSTRB changed while WVALID && !WREADY");
        if (p_arv && !p_arr && !arvalid) violation("ARVALID dropped before ARREADY");
        if (p_arv && !p_arr && araddr !== p_araddr) violation("ARADDR changed while ARVALID && !ARREADY");
        if (p_bv && !p_br && !bvalid) violation("BVALID dropped before BREADY");
        if (p_bv && !p_br && bresp !== p_bresp) violation("BRESP changed while BVALID && !BREADY");
        if (p_rv && !p_rr && !rvalid) violation("RVALID dropped before RREADY");
        if (p_rv && !p_rr && (rdata !== p_rdata || rresp !== p_rresp)) violation("RDATA/RRESP changed while RVALID && !RREADY");
      end
      if (bvalid && !(n_aw > n_b && n_w > n_b)) violation("BVALID before both AW and W of its write were taken");
      if (rvalid && !(n_ar > n_r)) violation("RVALID before the AR of its read was taken");
      if (bvalid && bresp !== 2'd0 && bresp !== 2'd2) violation("BRESP neither OKAY nor SLVERR");
      if (rvalid && rresp !== 2'd0 && rresp !== 2'd2) violation("RRESP neither OKAY nor SLVERR");
      if (awvalid && awready) n_aw = n_aw + 1;
      if (wvalid && wready) n_w = n_w + 1;
      if (arvalid && arready) n_ar = n_ar + 1;
      if (bvalid && bready) n_b = n_b + 1;
      if (rvalid && rready) n_r = n_r + 1;
      p_awv = awvalid; p_awr = awready; p_awaddr = awaddr;
      p_wv = wvalid; p_wr = wready; p_wdata = wdata; p_wstrb = wstrb;
      p_bv = bvalid; p_br = bready; p_bresp = bresp;
      p_arv = arvalid; p_arr = arready; p_araddr = araddr;
      p_rv = rvalid; p_rr = rready; p_rdata = rdata; p_rresp = rresp;
      checking = 1'b1;
    end
  end

  // ---- AXI4-Lite master: one transaction at a time, inputs change at falling edges ----
  reg [15:0] lfsr = 16'hace1;
  reg [1:0] resp;
  reg [31:0] rword;
  reg aw_pend, w_pend, b_wait, ar_pend, r_wait;
  integer guard;
  integer bad_resps = 0;

  // BREADY / RREADY for the next cycle: low in about a quarter of the cycles.
  task next_ready;
    begin
      lfsr = {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
      bready = |lfsr[1:0];
      rready = |lfsr[3:2];
    end
  endtask

  task axi_write(input [AAW-1:0] a, input [31:0] d);
    begin
      aw_pend = 1'b1;
      w_pend = 1'b1;
      b_wait = 1'b1;
      guard = 0;
      while (b_wait && guard < GUARD) begin
        @(negedge clk);
        awvalid = aw_pend;
        awaddr = aw_pend ? a : {AAW{1'b0}};
        wvalid = w_pend;
        wdata = w_pend ? d : 32'd0;
        wstrb = w_pend ? 4'hf : 4'h0;
        next_ready;
        #1;
        if (awvalid && awready) aw_pend = 1'b0;
        if (wvalid && wready) w_pend = 1'b0;
        if (bvalid && bready) begin
          b_wait = 1'b0;
          resp = bresp;
        end
        guard = guard + 1;
      end
      @(negedge clk);
      awvalid = 1'b0;
      wvalid = 1'b0;
      bready = 1'b0;
      if (b_wait) begin
        $display("FAIL AXI write of 0x%h to 0x%h: no response within %0d cycles", d, a, GUARD);
        bad_resps = bad_resps + 1;
      end else if (resp != 2'd0) begin
        $display("FAIL AXI write of 0x%h to 0x%h answered BRESP %0d", d, a, resp);
        bad_resps = bad_resps + 1;
      end
    end
  endtask

  task axi_read(input [AAW-1:0] a);
    begin
      ar_pend = 1'b1;
      r_wait = 1'b1;
      guard = 0;
      while (r_wait && guard < GUARD) begin
        @(negedge clk);
        arvalid = ar_pend;
        araddr = ar_pend ? a : {AAW{1'b0}};
        next_ready;
        #1;
        if (arvalid && arready) ar_pend = 1'b0;
        if (rvalid && rready) begin
          r_wait = 1'b0;
          resp = rresp;
          rword = rdata;
        end
        guard = guard + 1;
      end
      @(negedge clk);
      arvalid = 1'b0;
      rready = 1'b0;
      if (r_wait) begin
        $display("FAIL AXI read of 0x%h: no response within %0d cycles", a, GUARD);
        bad_resps = bad_resps + 1;
      end else if (resp != 2'd0) begin
        $display("FAIL AXI read of 0x%h answered RRESP %0d", a, resp);
        bad_resps = bad_resps + 1;
      end
    end
  endtask

  // A host word: its nonzero high lanes, then lane 0, which commits it.
  integer lane;
  reg [LANES*32-1:0] hword;
  task host_write(input [AW-1:0] a, input [DW-1:0] d);
    begin
      hword = {LANES*32{1'b0}};
      hword[DW-1:0] = d;
      for (lane = LANES - 1; lane >= 1; lane = lane - 1)
        if (hword[lane*32 +: 32] != 32'd0) axi_write({a, lane[LNW-1:0], 2'b00}, hword[lane*32 +: 32]);
      axi_write({a, {LNW{1'b0}}, 2'b00}, hword[31:0]);
    end
  endtask

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

    // Inputs change at falling edges only; eie_top samples them at the rising edge between.
    for (i = 0; i < N && !stop; i = i + 1) begin
      line = trans[i];
      kind = line[LW-1:LW-4];
      t_addr = line[LW-5:8*DD];
      t_data = line[8*DD-1:4*DD];
      t_exp = line[4*DD-1:0];
      @(negedge clk);
      case (kind)
        4'h0: begin
          host_write(t_addr[AW-1:0], t_data[DW-1:0]);
          if (bad_resps != 0) begin
            failed = 1'b1;
            stop = 1'b1;
          end
        end
        4'h1, 4'h3: begin
          axi_read({t_addr[AW-1:0], {LNW{1'b0}}, 2'b00});
          if (bad_resps != 0) begin
            failed = 1'b1;
            stop = 1'b1;
          end else begin
            got = {DW{1'b0}};
            got[31:0] = rword;
            if (kind == 4'h3) begin
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
        end
        4'h2: begin
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
    @(negedge clk);
    if (n_b != n_aw || n_b != n_w) violation("a write without its one response");
    if (n_r != n_ar) violation("a read without its one response");

    if (violations != 0) begin
      $display("FAIL %0d AXI4-Lite protocol violations", violations);
    end else if (!failed) begin
      if (error) begin
        $display("FAIL error_o is set (a PE addressed a row past its accumulators), %0d outputs, %0d cycles", outputs, cycles);
      end else if (mismatches != 0) begin
        $display("FAIL %0d of %0d outputs differ, first output %0d (PE %0d): expected %0d, got %0d; %0d cycles",
                 mismatches, outputs, bad_index, bad_index % PES, $signed(act_exp), $signed(act_got), cycles);
      end else if (outputs == 0) begin
        $display("FAIL no outputs were checked");
      end else begin
        $display("PASS %0d outputs, %0d cycles, %0d AXI writes, %0d AXI reads", outputs, cycles, n_b, n_r);
      end
    end
    $finish;
  end

endmodule

`default_nettype wire

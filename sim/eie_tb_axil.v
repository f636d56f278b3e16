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
// The transaction file, the checks of every read and the waveform plusargs are those of
// eie_tb_common.vh. tb_params.vh (generated for the config) defines, beyond those it reads:
//   TB_AXI_AW   s_axil_awaddr / araddr width      TB_LANES  32-bit lanes per host word
//   TB_LANE_W   address bits of the lane (log2 TB_LANES)

`timescale 1ns / 1ps
`include "tb_params.vh"

`default_nettype none

module eie_tb;

`include "eie_tb_common.vh"

  localparam integer AAW  = `TB_AXI_AW;
  localparam integer LANES = `TB_LANES;
  localparam integer LNW  = `TB_LANE_W;
  localparam integer GUARD = 1000;

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
  reg aw_pend, w_pend, ar_pend, waiting;
  integer guard;

  // BREADY / RREADY for the next cycle: low in about a quarter of the cycles.
  task next_ready;
    begin
      lfsr = {lfsr[14:0], lfsr[15] ^ lfsr[13] ^ lfsr[12] ^ lfsr[10]};
      bready = |lfsr[1:0];
      rready = |lfsr[3:2];
    end
  endtask

  // One AXI4-Lite write of d to a (wr = 1: AW and W, then B) or read of a (wr = 0: AR, then R,
  // whose data is left in rword). A missing or non-OKAY response prints FAIL and sets bus_fail.
  task axi_xfer(input wr, input [AAW-1:0] a, input [31:0] d);
    begin
      aw_pend = wr;
      w_pend = wr;
      ar_pend = !wr;
      waiting = 1'b1;
      guard = 0;
      while (waiting && guard < GUARD) begin
        @(negedge clk);
        awvalid = aw_pend;
        awaddr = aw_pend ? a : {AAW{1'b0}};
        wvalid = w_pend;
        wdata = w_pend ? d : 32'd0;
        wstrb = w_pend ? 4'hf : 4'h0;
        arvalid = ar_pend;
        araddr = ar_pend ? a : {AAW{1'b0}};
        next_ready;
        #1;
        if (awvalid && awready) aw_pend = 1'b0;
        if (wvalid && wready) w_pend = 1'b0;
        if (arvalid && arready) ar_pend = 1'b0;
        if (wr ? bvalid && bready : rvalid && rready) begin
          waiting = 1'b0;
          resp = wr ? bresp : rresp;
          rword = rdata;
        end
        guard = guard + 1;
      end
      @(negedge clk);
      bus_idle;
      bready = 1'b0;
      rready = 1'b0;
      if (waiting) begin
        if (wr) $display("FAIL AXI write of 0x%h to 0x%h: no response within %0d cycles", d, a, GUARD);
        else $display("FAIL AXI read of 0x%h: no response within %0d cycles", a, GUARD);
        bus_fail = 1'b1;
      end else if (resp != 2'd0) begin
        if (wr) $display("FAIL AXI write of 0x%h to 0x%h answered BRESP %0d", d, a, resp);
        else $display("FAIL AXI read of 0x%h answered RRESP %0d", a, resp);
        bus_fail = 1'b1;
      end
    end
  endtask

  // A host word: its nonzero high lanes, then lane 0, which commits it.
  integer lane;
  reg [LANES*32-1:0] hword;
  task bus_write(input [AW-1:0] a, input [DW-1:0] d);
    begin
      hword = {LANES*32{1'b0}};
      hword[DW-1:0] = d;
      for (lane = LANES - 1; lane >= 1; lane = lane - 1)
        if (hword[lane*32 +: 32] != 32'd0) axi_xfer(1'b1, {a, lane[LNW-1:0], 2'b00}, hword[lane*32 +: 32]);
      axi_xfer(1'b1, {a, {LNW{1'b0}}, 2'b00}, hword[31:0]);
    end
  endtask

  // Every word the host reads is at most 32 bits: lane 0 holds it.
  task bus_read(input [AW-1:0] a);
    begin
      axi_xfer(1'b0, {a, {LNW{1'b0}}, 2'b00}, 32'd0);
      got = {DW{1'b0}};
      got[31:0] = rword;
    end
  endtask

  task bus_idle;
    begin
      awvalid = 1'b0;
      wvalid = 1'b0;
      arvalid = 1'b0;
    end
  endtask

  task bus_end(output bad);
    begin
      @(negedge clk);
      if (n_b != n_aw || n_b != n_w) violation("a write without its one response");
      if (n_r != n_ar) violation("a read without its one response");
      bad = violations != 0;
      if (bad) $display("FAIL %0d AXI4-Lite protocol violations", violations);
    end
  endtask

  task bus_pass;
    $display("PASS %0d outputs, %0d cycles, %0d AXI writes, %0d AXI reads", outputs, cycles, n_b, n_r);
  endtask

endmodule

`default_nettype wire

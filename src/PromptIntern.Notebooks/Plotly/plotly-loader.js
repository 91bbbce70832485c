// Defines window.Plotly from plotly.js 2.28.0 (basic bundle; MIT licence, Copyright (c) 2021 Plotly, Inc.) shipped
// inside this script as LZMA, base85-encoded (about 370 KB instead of 3.6 MB). The notebooks' first chart output loads
// this file from beside the notebook; every chart output waits for window.Plotly. Base85 digits are chosen so nothing
// needs escaping in JSON or HTML; LZMA beats gzip by a fifth.
(function () {
  if (window.Plotly || window.__promptinternPlotly) return;
  window.__promptinternPlotly = true;
  var digits = "__ALPHABET__", text = "__DATA__", length = __LENGTH__;

  var value = new Int8Array(128).fill(-1);
  for (var i = 0; i < digits.length; i++) value[digits.charCodeAt(i)] = i;
  var packed = new Uint8Array(text.length / 5 * 4);
  for (var c = 0, o = 0; c < text.length; c += 5, o += 4) {
    var v = 0;
    for (var k = 0; k < 5; k++) v = v * 85 + value[text.charCodeAt(c + k)];
    packed[o] = v / 16777216; packed[o + 1] = v >>> 16; packed[o + 2] = v >>> 8; packed[o + 3] = v;
  }
  var source = new TextDecoder().decode(lzma(packed.subarray(0, length)));
  var script = document.createElement("script");
  // Hiding define/module/exports makes plotly's UMD wrapper set window.Plotly even where require.js is loaded (Jupyter).
  script.text = "(function (define, module, exports) {\n" + source + "\n})();";
  (document.head || document.documentElement).appendChild(script);

  // LZMA-alone decoder (Igor Pavlov's LzmaSpec, public domain): 13-byte header, then the range-coded stream.
  function lzma(input) {
    var props = input[0], lc = props % 9, lp = ((props / 9) | 0) % 5, pb = (props / 45) | 0;
    var size = input[5] + input[6] * 256 + input[7] * 65536 + input[8] * 16777216;
    var out = new Uint8Array(size), pos = 0, at = 14, range = 4294967295, code = 0;
    for (var b = 0; b < 4; b++) code = code * 256 + input[at++];

    function probs(n) { return new Uint16Array(n).fill(1024); }
    function bit(p, i) {
      var bound = (range >>> 11) * p[i], r;
      if (code < bound) { range = bound; p[i] += (2048 - p[i]) >> 5; r = 0; }
      else { range -= bound; code -= bound; p[i] -= p[i] >> 5; r = 1; }
      if (range < 16777216) { range *= 256; code = code * 256 + input[at++]; }
      return r;
    }
    function tree(p, base, bits) {
      var m = 1;
      for (var j = 0; j < bits; j++) m = m * 2 + bit(p, base + m);
      return m - (1 << bits);
    }
    function reverseTree(p, base, bits) {
      var m = 1, s = 0;
      for (var j = 0; j < bits; j++) { var r = bit(p, base + m); m = m * 2 + r; s |= r << j; }
      return s;
    }
    function direct(bits) {
      var s = 0;
      while (bits-- > 0) {
        range = range >>> 1;
        var r = code >= range ? 1 : 0;
        if (r) code -= range;
        s = s * 2 + r;
        if (range < 16777216) { range *= 256; code = code * 256 + input[at++]; }
      }
      return s;
    }
    function lengthCoder() { return { choice: probs(2), low: probs(128), mid: probs(128), high: probs(256) }; }
    function readLength(l, posState) {
      if (!bit(l.choice, 0)) return tree(l.low, posState << 3, 3);
      if (!bit(l.choice, 1)) return 8 + tree(l.mid, posState << 3, 3);
      return 16 + tree(l.high, 0, 8);
    }

    var literal = probs(0x300 << (lc + lp)), isMatch = probs(192), isRep = probs(12), isRepG0 = probs(12),
        isRepG1 = probs(12), isRepG2 = probs(12), isRep0Long = probs(192), posSlot = probs(256),
        posSpecial = probs(115), align = probs(16), matchLength = lengthCoder(), repLength = lengthCoder();
    var state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0, pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1;

    while (pos < size) {
      var posState = pos & pbMask;
      if (!bit(isMatch, (state << 4) + posState)) {
        var prev = pos > 0 ? out[pos - 1] : 0;
        var base = 0x300 * (((pos & lpMask) << lc) + (prev >> (8 - lc))), symbol = 1;
        if (state >= 7) {
          var matchByte = out[pos - rep0 - 1];
          do {
            var matchBit = (matchByte >> 7) & 1;
            matchByte <<= 1;
            var got = bit(literal, base + ((1 + matchBit) << 8) + symbol);
            symbol = (symbol << 1) | got;
            if (matchBit !== got) break;
          } while (symbol < 0x100);
        }
        while (symbol < 0x100) symbol = (symbol << 1) | bit(literal, base + symbol);
        out[pos++] = symbol & 0xFF;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      var len;
      if (bit(isRep, state)) {
        if (pos === 0) throw new Error("plotly.js: corrupt LZMA data");
        if (!bit(isRepG0, state)) {
          if (!bit(isRep0Long, (state << 4) + posState)) {
            state = state < 7 ? 9 : 11;
            out[pos] = out[pos - rep0 - 1]; pos++;
            continue;
          }
        } else {
          var dist;
          if (!bit(isRepG1, state)) dist = rep1;
          else { if (!bit(isRepG2, state)) dist = rep2; else { dist = rep3; rep3 = rep2; } rep2 = rep1; }
          rep1 = rep0; rep0 = dist;
        }
        len = readLength(repLength, posState);
        state = state < 7 ? 8 : 11;
      } else {
        rep3 = rep2; rep2 = rep1; rep1 = rep0;
        len = readLength(matchLength, posState);
        state = state < 7 ? 7 : 10;
        var slot = tree(posSlot, (len < 3 ? len : 3) << 6, 6);
        if (slot < 4) rep0 = slot;
        else {
          var bits = (slot >> 1) - 1;
          rep0 = (2 + (slot & 1)) * Math.pow(2, bits);
          if (slot < 14) rep0 += reverseTree(posSpecial, rep0 - slot, bits);
          else rep0 += direct(bits - 4) * 16 + reverseTree(align, 0, 4);
        }
        if (rep0 === 4294967295) break; // end marker
        if (rep0 >= pos) throw new Error("plotly.js: corrupt LZMA data");
      }
      for (len += 2; len > 0 && pos < size; len--, pos++) out[pos] = out[pos - rep0 - 1];
    }
    return out;
  }
})();

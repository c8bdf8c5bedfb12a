;; word2vec with negative sampling (skip-gram and CBOW), WebAssembly SIMD (128-bit). Compiled by
;; scripts/build-wasm.mjs (npm package `wabt`) into word2vec-kernels-wasm.ts; run that script after editing this
;; file (`node scripts/build-wasm.mjs --check` tells whether the two agree).
;;
;; The memory is shared (Hogwild: every worker thread runs its own instance over the same U and V). Each thread owns
;; a context block `ctx` (layout in word2vec-layout.ts, CTX; byte offsets):
;;   0 U  4 V  8 row floats (multiple of 4)  12 negative alias table  16 vocabulary rows  20 keep thresholds  24 ids
;;   28 sentence ends  32 window  36 negatives  40 cbow flag  44 random state  48 h  52 work  56 sentence buffer
;;   60 targets  64 inputs  68 signals  72 loss sum (f64)  80 loss steps (f64)  104 the always-zero row of V
;;   108 tied flag
;; word2vec-js.ts is the same algorithm in plain JavaScript, operation for operation: both give bit-identical
;; results (float32 lanes summed in the same order, the same float32 polynomials for exp and log1p).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; mulberry32 state of the running `train` call (loaded from and stored back to ctx+44).
  (global $rng (mut i32) (i32.const 0))

  ;; The next 32-bit output of mulberry32 (the same stream as seeded-random.ts, before its division by 2^32).
  (func $next (result i32)
    (local $t i32)
    (global.set $rng (i32.add (global.get $rng) (i32.const 0x6d2b79f5)))
    (local.set $t (global.get $rng))
    (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 15)))
                           (i32.or (local.get $t) (i32.const 1))))
    (local.set $t (i32.xor (local.get $t)
      (i32.add (local.get $t)
        (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7)))
                 (i32.or (local.get $t) (i32.const 61))))))
    (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))

  ;; Signals and losses of three targets (lanes 0-2; lane 3 is padding) from their dot-product accumulators a0, a1,
  ;; a2: each target's dot product f is the lane sum (l0 + l1) + (l2 + l3) of its accumulator (a 4×4 transpose keeps
  ;; that order), then, all in float32 lanes,
  ;;   e = exp(-|f|)  |f| capped at 80; k = floor(-|f| log2 e + 1/2), r = -|f| - k ln2 in two parts (cephes' ln2
  ;;                  split: k ln2_hi is exact), e^r by its Taylor polynomial to degree 7, times 2^k built from bits
  ;;   σ(f) = (f >= 0 ? 1 : e) / (1 + e)                       the form that cannot overflow
  ;;   g = (label - σ(f)) alpha                                  stored at `out`, 0 in lanes not `valid`
  ;;   loss = softplus(∓f) = max(∓f, 0) + log(1 + e)           log1p as 2 atanh(e / (2 + e)), odd series to s^11
  ;; Returns the loss lanes (0 where not `valid`). label is 1 in the positive's lane, else 0.
  (func $signals (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $label v128) (param $valid v128)
    (param $alpha v128) (param $out i32) (result v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $f v128) (local $y v128)
    (local $k v128) (local $r v128) (local $p v128) (local $e v128) (local $s v128) (local $s2 v128)
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (v128.const i32x4 0 0 0 0)))
    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (v128.const i32x4 0 0 0 0)))
    (local.set $f (f32x4.add
      (f32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2))
                 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
      (f32x4.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3))
                 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))))
    (local.set $y (f32x4.neg (f32x4.min (f32x4.abs (local.get $f)) (f32x4.splat (f32.const 80)))))
    (local.set $k (f32x4.floor (f32x4.add (f32x4.mul (local.get $y) (f32x4.splat (f32.const 1.4426950216293335))) (f32x4.splat (f32.const 0.5)))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $y) (f32x4.mul (local.get $k) (f32x4.splat (f32.const 0.693359375))))
                             (f32x4.mul (local.get $k) (f32x4.splat (f32.const -0.00021219444170128554)))))
    (local.set $p (f32x4.splat (f32.const 0.00019841270113829523)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.0013888889225199819))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.008333333767950535))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.0416666679084301))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.1666666716337204))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 0.5))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; 2^k from its bits: k is in [-116, 0], so the exponent field k + 127 stays normal.
    (local.set $e (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (i32x4.splat (i32.const 127))) (i32.const 23))))
    (v128.store (local.get $out) (v128.and (local.get $valid)
      (f32x4.mul
        (f32x4.sub (local.get $label)
          (f32x4.div (v128.bitselect (f32x4.splat (f32.const 1)) (local.get $e) (f32x4.ge (local.get $f) (v128.const i32x4 0 0 0 0)))
                     (f32x4.add (f32x4.splat (f32.const 1)) (local.get $e))))
        (local.get $alpha))))
    (local.set $s (f32x4.div (local.get $e) (f32x4.add (f32x4.splat (f32.const 2)) (local.get $e))))
    (local.set $s2 (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $p (f32x4.splat (f32.const 0.09090909361839294)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $s2)) (f32x4.splat (f32.const 0.1111111119389534))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $s2)) (f32x4.splat (f32.const 0.1428571492433548))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $s2)) (f32x4.splat (f32.const 0.20000000298023224))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $s2)) (f32x4.splat (f32.const 0.3333333432674408))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $s2)) (f32x4.splat (f32.const 1))))
    (v128.and (local.get $valid)
      (f32x4.add
        (f32x4.max (v128.bitselect (f32x4.neg (local.get $f)) (local.get $f) (f32x4.gt (local.get $label) (v128.const i32x4 0 0 0 0)))
                   (v128.const i32x4 0 0 0 0))
        (f32x4.mul (f32x4.add (local.get $s) (local.get $s)) (local.get $p)))))

  ;; One SGD step of the negative-sampling loss
  ;;   L = -log σ(h·v[t0]) - Σ_{k>=1} log σ(-h·v[tk]),  h = mean of U[inputs[0..nIn)]
  ;; with learning rate alpha: every target row v[tk] += g_k h and every input row U[i] += Σ_k g_k v[tk], where
  ;; g_k = (label_k - σ(h·v[tk])) alpha. All dot products are taken before any row moves, and h is a copy when the
  ;; matrix is tied (ctx+108), so with distinct targets this is exactly the gradient step of L, a tied matrix (where
  ;; an input row may also be a target row) included; a target drawn twice gets both updates, the second one reading
  ;; the row after the first.
  ;; Each input row gets the whole Σ, not Σ/nIn: word2vec.c's and gensim's CBOW (cbow_mean=1). Adds the step's loss
  ;; to ctx+72 and one to ctx+80. inputs and targets are int32 row lists (targets[0] the positive); targets needs room
  ;; for two more entries: targets go three at a time, the last group padded with the always-zero row ctx+104 (g = 0).
  (func $step (export "step")
    (param $ctx i32) (param $inputs i32) (param $nIn i32) (param $targets i32) (param $nT i32) (param $alpha f64)
    (local $u i32) (local $v i32) (local $rowBytes i32) (local $blockBytes i32) (local $h i32) (local $work i32)
    (local $signals i32) (local $padded i32) (local $i i32) (local $k i32) (local $row i32) (local $p i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128)
    (local $hv v128) (local $hw v128) (local $x v128) (local $w v128) (local $g0 v128) (local $g1 v128) (local $g2 v128)
    (local $alphas v128) (local $losses v128)
    (local.set $u (i32.load offset=0 (local.get $ctx)))
    (local.set $v (i32.load offset=4 (local.get $ctx)))
    (local.set $rowBytes (i32.shl (i32.load offset=8 (local.get $ctx)) (i32.const 2)))
    ;; Bytes covered by whole blocks of 8 floats (two f32x4 accumulators per target); a row may end with one block of 4.
    (local.set $blockBytes (i32.and (local.get $rowBytes) (i32.const -32)))
    (local.set $h (i32.load offset=48 (local.get $ctx)))
    (local.set $work (i32.load offset=52 (local.get $ctx)))
    (local.set $signals (i32.load offset=68 (local.get $ctx)))
    (local.set $alphas (f32x4.splat (f32.demote_f64 (local.get $alpha))))

    ;; h = the input row (itself when untied: no target row is an input row then), or the mean of the input rows
    ;; (summed in order, then times float32(1/nIn)).
    (if (i32.eq (local.get $nIn) (i32.const 1))
      (then
        (local.set $row (i32.add (local.get $u) (i32.mul (i32.load (local.get $inputs)) (local.get $rowBytes))))
        (if (i32.eqz (i32.load offset=108 (local.get $ctx)))
          (then (local.set $h (local.get $row)))
          (else
            (local.set $p (i32.const 0))
            (loop $copy
              (v128.store (i32.add (local.get $h) (local.get $p)) (v128.load (i32.add (local.get $row) (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br_if $copy (i32.lt_u (local.get $p) (local.get $rowBytes)))))))
      (else
        (local.set $p (i32.const 0))
        (loop $zero
          (v128.store (i32.add (local.get $h) (local.get $p)) (v128.const i32x4 0 0 0 0))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $zero (i32.lt_u (local.get $p) (local.get $rowBytes))))
        (local.set $i (i32.const 0))
        (block $summed
          (loop $sum
            (br_if $summed (i32.ge_u (local.get $i) (local.get $nIn)))
            (local.set $row (i32.add (local.get $u)
              (i32.mul (i32.load (i32.add (local.get $inputs) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
            (local.set $p (i32.const 0))
            (loop $add
              (v128.store (i32.add (local.get $h) (local.get $p))
                (f32x4.add (v128.load (i32.add (local.get $h) (local.get $p))) (v128.load (i32.add (local.get $row) (local.get $p)))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br_if $add (i32.lt_u (local.get $p) (local.get $rowBytes))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sum)))
        (local.set $x (f32x4.splat (f32.div (f32.const 1) (f32.convert_i32_u (local.get $nIn)))))
        (local.set $p (i32.const 0))
        (loop $scale
          (v128.store (i32.add (local.get $h) (local.get $p)) (f32x4.mul (v128.load (i32.add (local.get $h) (local.get $p))) (local.get $x)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $scale (i32.lt_u (local.get $p) (local.get $rowBytes))))))

    (local.set $p (i32.const 0))
    (loop $zeroWork
      (v128.store (i32.add (local.get $work) (local.get $p)) (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $zeroWork (i32.lt_u (local.get $p) (local.get $rowBytes))))

    ;; Pad the targets to a multiple of three with the zero row.
    (local.set $padded (local.get $nT))
    (block $paddedDone
      (loop $pad
        (br_if $paddedDone (i32.eqz (i32.rem_u (local.get $padded) (i32.const 3))))
        (i32.store (i32.add (local.get $targets) (i32.shl (local.get $padded) (i32.const 2))) (i32.load offset=104 (local.get $ctx)))
        (local.set $padded (i32.add (local.get $padded) (i32.const 1)))
        (br $pad)))

    ;; Dot products, three targets at a time (six accumulators: each target's even blocks of 4 in a*, odd in b*, the
    ;; 4-float tail in a*), then each target's signal g to `signals` (0 for the padding).
    (local.set $k (i32.const 0))
    (block $dotsDone
      (loop $dots
        (br_if $dotsDone (i32.ge_u (local.get $k) (local.get $padded)))
        (local.set $row (i32.add (local.get $targets) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $r0 (i32.add (local.get $v) (i32.mul (i32.load offset=0 (local.get $row)) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $v) (i32.mul (i32.load offset=4 (local.get $row)) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $v) (i32.mul (i32.load offset=8 (local.get $row)) (local.get $rowBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $b0 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.const 0))
        (block $blocksDone
          (loop $block
            (br_if $blocksDone (i32.ge_u (local.get $p) (local.get $blockBytes)))
            (local.set $hv (v128.load offset=0 (i32.add (local.get $h) (local.get $p))))
            (local.set $hw (v128.load offset=16 (i32.add (local.get $h) (local.get $p))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $hv) (v128.load offset=0 (i32.add (local.get $r0) (local.get $p))))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $hw) (v128.load offset=16 (i32.add (local.get $r0) (local.get $p))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $hv) (v128.load offset=0 (i32.add (local.get $r1) (local.get $p))))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $hw) (v128.load offset=16 (i32.add (local.get $r1) (local.get $p))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $hv) (v128.load offset=0 (i32.add (local.get $r2) (local.get $p))))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $hw) (v128.load offset=16 (i32.add (local.get $r2) (local.get $p))))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $block)))
        (if (i32.lt_u (local.get $p) (local.get $rowBytes))
          (then
            (local.set $hv (v128.load (i32.add (local.get $h) (local.get $p))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $hv) (v128.load (i32.add (local.get $r0) (local.get $p))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $hv) (v128.load (i32.add (local.get $r1) (local.get $p))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $hv) (v128.load (i32.add (local.get $r2) (local.get $p))))))))
        (local.set $losses (f32x4.add (local.get $losses)
          (call $signals (f32x4.add (local.get $a0) (local.get $b0)) (f32x4.add (local.get $a1) (local.get $b1))
            (f32x4.add (local.get $a2) (local.get $b2))
            (select (v128.const f32x4 1 0 0 0) (v128.const i32x4 0 0 0 0) (i32.eqz (local.get $k)))
            ;; Valid lanes: k + lane < nT, lane 3 never.
            (v128.and (i32x4.lt_u (i32x4.add (i32x4.splat (local.get $k)) (v128.const i32x4 0 1 2 3)) (i32x4.splat (local.get $nT)))
                      (v128.const i32x4 -1 -1 -1 0))
            (local.get $alphas)
            (i32.add (local.get $signals) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $k (i32.add (local.get $k) (i32.const 3)))
        (br $dots)))

    ;; Updates, three targets at a time: work += g v[t]; v[t] += g h (each v[t] read once, before its update).
    (local.set $k (i32.const 0))
    (block $updatesDone
      (loop $updates
        (br_if $updatesDone (i32.ge_u (local.get $k) (local.get $padded)))
        (local.set $row (i32.add (local.get $targets) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $r0 (i32.add (local.get $v) (i32.mul (i32.load offset=0 (local.get $row)) (local.get $rowBytes))))
        (local.set $r1 (i32.add (local.get $v) (i32.mul (i32.load offset=4 (local.get $row)) (local.get $rowBytes))))
        (local.set $r2 (i32.add (local.get $v) (i32.mul (i32.load offset=8 (local.get $row)) (local.get $rowBytes))))
        (local.set $row (i32.add (local.get $signals) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $g0 (v128.load32_splat offset=0 (local.get $row)))
        (local.set $g1 (v128.load32_splat offset=4 (local.get $row)))
        (local.set $g2 (v128.load32_splat offset=8 (local.get $row)))
        (local.set $p (i32.const 0))
        (loop $update
          (local.set $hv (v128.load (i32.add (local.get $h) (local.get $p))))
          (local.set $w (v128.load (i32.add (local.get $work) (local.get $p))))
          (local.set $x (v128.load (i32.add (local.get $r0) (local.get $p))))
          (local.set $w (f32x4.add (local.get $w) (f32x4.mul (local.get $g0) (local.get $x))))
          (v128.store (i32.add (local.get $r0) (local.get $p)) (f32x4.add (local.get $x) (f32x4.mul (local.get $g0) (local.get $hv))))
          (local.set $x (v128.load (i32.add (local.get $r1) (local.get $p))))
          (local.set $w (f32x4.add (local.get $w) (f32x4.mul (local.get $g1) (local.get $x))))
          (v128.store (i32.add (local.get $r1) (local.get $p)) (f32x4.add (local.get $x) (f32x4.mul (local.get $g1) (local.get $hv))))
          (local.set $x (v128.load (i32.add (local.get $r2) (local.get $p))))
          (local.set $w (f32x4.add (local.get $w) (f32x4.mul (local.get $g2) (local.get $x))))
          (v128.store (i32.add (local.get $r2) (local.get $p)) (f32x4.add (local.get $x) (f32x4.mul (local.get $g2) (local.get $hv))))
          (v128.store (i32.add (local.get $work) (local.get $p)) (local.get $w))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $update (i32.lt_u (local.get $p) (local.get $rowBytes))))
        (local.set $k (i32.add (local.get $k) (i32.const 3)))
        (br $updates)))

    ;; Every input row += work.
    (local.set $i (i32.const 0))
    (block $inputsDone
      (loop $input
        (br_if $inputsDone (i32.ge_u (local.get $i) (local.get $nIn)))
        (local.set $row (i32.add (local.get $u)
          (i32.mul (i32.load (i32.add (local.get $inputs) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $p (i32.const 0))
        (loop $apply
          (v128.store (i32.add (local.get $row) (local.get $p))
            (f32x4.add (v128.load (i32.add (local.get $row) (local.get $p))) (v128.load (i32.add (local.get $work) (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $apply (i32.lt_u (local.get $p) (local.get $rowBytes))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $input)))
    (f64.store offset=72 (local.get $ctx) (f64.add (f64.load offset=72 (local.get $ctx)) (f64.promote_f32
      (f32.add (f32.add (f32x4.extract_lane 0 (local.get $losses)) (f32x4.extract_lane 1 (local.get $losses)))
               (f32.add (f32x4.extract_lane 2 (local.get $losses)) (f32x4.extract_lane 3 (local.get $losses)))))))
    (f64.store offset=80 (local.get $ctx) (f64.add (f64.load offset=80 (local.get $ctx)) (f64.const 1))))

  ;; Writes the positive `centre` and `negative` draws from the alias table (negative-table.ts: bucket = high half of
  ;; draw × rows, kept when the low half is under the bucket's threshold, else its alias), skipping draws equal to the
  ;; positive as word2vec.c does, to `targets`; returns how many targets were written.
  (func $draw (param $targets i32) (param $centre i32) (param $negative i32) (param $table i32) (param $rows i32) (result i32)
    (local $m i32) (local $k i32) (local $t i32) (local $product i64) (local $entry i32)
    (i32.store (local.get $targets) (local.get $centre))
    (local.set $m (i32.const 1))
    (block $done
      (loop $drawLoop
        (br_if $done (i32.ge_u (local.get $k) (local.get $negative)))
        (local.set $product (i64.mul (i64.extend_i32_u (call $next)) (i64.extend_i32_u (local.get $rows))))
        (local.set $t (i32.wrap_i64 (i64.shr_u (local.get $product) (i64.const 32))))
        (local.set $entry (i32.add (local.get $table) (i32.shl (local.get $t) (i32.const 3))))
        (local.set $t (select (local.get $t) (i32.load offset=4 (local.get $entry))
          (i32.lt_u (i32.wrap_i64 (local.get $product)) (i32.load offset=0 (local.get $entry)))))
        (if (i32.ne (local.get $t) (local.get $centre))
          (then
            (i32.store (i32.add (local.get $targets) (i32.shl (local.get $m) (i32.const 2))) (local.get $t))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $drawLoop)))
    (local.get $m))

  ;; Trains on sentences from..to-1 with learning rate alpha; returns the words kept by subsampling. Per sentence:
  ;; one draw per subsampled token (kept when draw <= its threshold; a threshold of 0xffffffff keeps without a
  ;; draw), then per kept position i one draw b for the reduced window w = window - b, and per step `negative`
  ;; draws from the table. Skip-gram: one step per context word c (input c, positive i), as word2vec.c;
  ;; CBOW: one step with all context words as inputs.
  (func (export "train") (param $ctx i32) (param $from i32) (param $to i32) (param $alpha f64) (result i32)
    (local $table i32) (local $rows i32) (local $keep i32) (local $ids i32) (local $ends i32) (local $window i32)
    (local $negative i32) (local $cbow i32) (local $buf i32) (local $targets i32) (local $inputs i32)
    (local $s i32) (local $pos i32) (local $end i32) (local $n i32) (local $id i32) (local $thr i32)
    (local $i i32) (local $j i32) (local $lo i32) (local $hi i32) (local $b i32) (local $centre i32) (local $c i32)
    (local $m i32) (local $kept i32)
    (local.set $table (i32.load offset=12 (local.get $ctx)))
    (local.set $rows (i32.load offset=16 (local.get $ctx)))
    (local.set $keep (i32.load offset=20 (local.get $ctx)))
    (local.set $ids (i32.load offset=24 (local.get $ctx)))
    (local.set $ends (i32.load offset=28 (local.get $ctx)))
    (local.set $window (i32.load offset=32 (local.get $ctx)))
    (local.set $negative (i32.load offset=36 (local.get $ctx)))
    (local.set $cbow (i32.load offset=40 (local.get $ctx)))
    (global.set $rng (i32.load offset=44 (local.get $ctx)))
    (local.set $buf (i32.load offset=56 (local.get $ctx)))
    (local.set $targets (i32.load offset=60 (local.get $ctx)))
    (local.set $inputs (i32.load offset=64 (local.get $ctx)))
    (local.set $s (local.get $from))
    (block $sentencesDone
      (loop $sentence
        (br_if $sentencesDone (i32.ge_u (local.get $s) (local.get $to)))
        (local.set $pos (select (i32.const 0) (i32.load offset=0 (i32.sub (i32.add (local.get $ends) (i32.shl (local.get $s) (i32.const 2))) (i32.const 4)))
          (i32.eqz (local.get $s))))
        (local.set $end (i32.load (i32.add (local.get $ends) (i32.shl (local.get $s) (i32.const 2)))))
        ;; Subsampling.
        (local.set $n (i32.const 0))
        (block $tokensDone
          (loop $token
            (br_if $tokensDone (i32.ge_u (local.get $pos) (local.get $end)))
            (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $pos) (i32.const 2)))))
            (local.set $thr (i32.load (i32.add (local.get $keep) (i32.shl (local.get $id) (i32.const 2)))))
            (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
            (if (i32.ne (local.get $thr) (i32.const -1))
              (then (br_if $token (i32.gt_u (call $next) (local.get $thr)))))
            (i32.store (i32.add (local.get $buf) (i32.shl (local.get $n) (i32.const 2))) (local.get $id))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $token)))
        (local.set $kept (i32.add (local.get $kept) (local.get $n)))
        ;; Training.
        (local.set $i (i32.const 0))
        (block $positionsDone
          (loop $position
            (br_if $positionsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $centre (i32.load (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 2)))))
            (local.set $b (i32.rem_u (call $next) (local.get $window)))
            (local.set $lo (i32.add (i32.sub (local.get $i) (local.get $window)) (local.get $b)))
            (if (i32.lt_s (local.get $lo) (i32.const 0)) (then (local.set $lo (i32.const 0))))
            (local.set $hi (i32.sub (i32.add (i32.add (local.get $i) (local.get $window)) (i32.const 1)) (local.get $b)))
            (if (i32.gt_s (local.get $hi) (local.get $n)) (then (local.set $hi (local.get $n))))
            (if (local.get $cbow)
              (then
                (local.set $c (i32.const 0))
                (local.set $j (local.get $lo))
                (block $gathered
                  (loop $gather
                    (br_if $gathered (i32.ge_s (local.get $j) (local.get $hi)))
                    (if (i32.ne (local.get $j) (local.get $i))
                      (then
                        (i32.store (i32.add (local.get $inputs) (i32.shl (local.get $c) (i32.const 2)))
                          (i32.load (i32.add (local.get $buf) (i32.shl (local.get $j) (i32.const 2)))))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $gather)))
                (if (local.get $c)
                  (then
                    (local.set $m (call $draw (local.get $targets) (local.get $centre) (local.get $negative) (local.get $table) (local.get $rows)))
                    (call $step (local.get $ctx) (local.get $inputs) (local.get $c) (local.get $targets) (local.get $m) (local.get $alpha)))))
              (else
                (local.set $j (local.get $lo))
                (block $contextDone
                  (loop $context
                    (br_if $contextDone (i32.ge_s (local.get $j) (local.get $hi)))
                    (if (i32.ne (local.get $j) (local.get $i))
                      (then
                        (local.set $m (call $draw (local.get $targets) (local.get $centre) (local.get $negative) (local.get $table) (local.get $rows)))
                        (call $step (local.get $ctx) (i32.add (local.get $buf) (i32.shl (local.get $j) (i32.const 2))) (i32.const 1)
                          (local.get $targets) (local.get $m) (local.get $alpha))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $context)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $position)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $sentence)))
    (i32.store offset=44 (local.get $ctx) (global.get $rng))
    (local.get $kept)))

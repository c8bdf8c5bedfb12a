;; The GloVe training kernel (WebAssembly SIMD, 128-bit): AdaGrad steps on a batch of co-occurrence entries.
;; Compiled by scripts/build-wasm.mjs (the npm package `wabt`) into glove-kernels-wasm.ts; run that script
;; after editing this file (`node scripts/build-wasm.mjs --check` tells whether the two agree).
;; The memory is shared, so worker threads can run this kernel on the same parameters at once (Hogwild).
;;
;; Layouts (byte addresses into the imported memory):
;; - a parameter row (words at `words`, context words at `contexts`, `stride` bytes per row) holds, as float32,
;;   [vector: pdim][AdaGrad sums of the vector: pdim][bias][AdaGrad sum of the bias][2 unused], where pdim is the
;;   dimension rounded up to 4; the padding lanes of vectors are 0 and stay 0.
;; - a batch entry is 16 bytes: i32 word row, i32 context row, f32 log X_ij, f32 weight f(X_ij).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; For each entry e < count, with diff = w_i·w̃_j + b_i + b̃_j − log X_ij and fdiff = f(X_ij)·diff: adds
  ;; ½·fdiff·diff to the returned cost, then moves every parameter p of the entry by AdaGrad as glove.c does:
  ;; u = eta·clip(∂cost/∂p), p −= u / √G, G += u² (G starts at 1). Vector gradient components are clipped to
  ;; [−clip, clip]; bias gradients are not. Biases use `biasEta`: 1 as glove.c since 2019 (its bias step lost eta
  ;; when clipping came in; stanfordnlp/GloVe PR #209), or eta itself as GloVe 1.0 and the paper. An entry whose diff
  ;; is not finite is skipped (glove.c does the same).
  (func (export "train")
    (param $words i32) (param $contexts i32) (param $stride i32) (param $pdim i32)
    (param $batch i32) (param $count i32) (param $eta f32) (param $biasEta f32) (param $clip f32) (result f64)
    (local $entry i32) (local $end i32) (local $wi i32) (local $wj i32) (local $c i32) (local $vecBytes i32)
    (local $logx f32) (local $weight f32) (local $diff f32) (local $fdiff f32) (local $u f32)
    (local $cost f64)
    (local $acc v128) (local $w v128) (local $t v128) (local $gw v128) (local $gt v128)
    (local $u1 v128) (local $u2 v128) (local $s v128) (local $eta4 v128) (local $hi v128) (local $lo v128)
    (local.set $vecBytes (i32.shl (local.get $pdim) (i32.const 2)))
    (local.set $eta4 (f32x4.splat (local.get $eta)))
    (local.set $hi (f32x4.splat (local.get $clip)))
    (local.set $lo (f32x4.splat (f32.neg (local.get $clip))))
    (local.set $entry (local.get $batch))
    (local.set $end (i32.add (local.get $batch) (i32.shl (local.get $count) (i32.const 4))))
    (block $entriesDone
      (loop $entryLoop
        (br_if $entriesDone (i32.ge_u (local.get $entry) (local.get $end)))
        (local.set $wi (i32.add (local.get $words) (i32.mul (i32.load offset=0 (local.get $entry)) (local.get $stride))))
        (local.set $wj (i32.add (local.get $contexts) (i32.mul (i32.load offset=4 (local.get $entry)) (local.get $stride))))
        (local.set $logx (f32.load offset=8 (local.get $entry)))
        (local.set $weight (f32.load offset=12 (local.get $entry)))
        ;; diff = w_i·w̃_j + b_i + b̃_j − log X_ij
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (loop $dotLoop
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul (v128.load (i32.add (local.get $wi) (local.get $c))) (v128.load (i32.add (local.get $wj) (local.get $c))))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $dotLoop (i32.lt_u (local.get $c) (local.get $vecBytes))))
        (local.set $diff
          (f32.sub
            (f32.add
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
              (f32.add
                (f32.load (i32.add (local.get $wi) (i32.shl (local.get $vecBytes) (i32.const 1))))
                (f32.load (i32.add (local.get $wj) (i32.shl (local.get $vecBytes) (i32.const 1))))))
            (local.get $logx)))
        ;; diff − diff is 0 for every finite diff and NaN for ±Inf and NaN.
        (if (f32.eq (f32.sub (local.get $diff) (local.get $diff)) (f32.const 0))
          (then
            (local.set $fdiff (f32.mul (local.get $weight) (local.get $diff)))
            (local.set $cost (f64.add (local.get $cost)
              (f64.promote_f32 (f32.mul (f32.const 0.5) (f32.mul (local.get $fdiff) (local.get $diff))))))
            (local.set $s (f32x4.splat (local.get $fdiff)))
            (local.set $c (i32.const 0))
            (loop $updateLoop
              (local.set $w (v128.load (i32.add (local.get $wi) (local.get $c))))
              (local.set $t (v128.load (i32.add (local.get $wj) (local.get $c))))
              (local.set $gw (v128.load (i32.add (i32.add (local.get $wi) (local.get $vecBytes)) (local.get $c))))
              (local.set $gt (v128.load (i32.add (i32.add (local.get $wj) (local.get $vecBytes)) (local.get $c))))
              ;; u1 = eta·clip(fdiff·w̃_j) for w_i, u2 = eta·clip(fdiff·w_i) for w̃_j (both from the old values).
              (local.set $u1 (f32x4.mul (local.get $eta4)
                (f32x4.pmin (local.get $hi) (f32x4.pmax (local.get $lo) (f32x4.mul (local.get $s) (local.get $t))))))
              (local.set $u2 (f32x4.mul (local.get $eta4)
                (f32x4.pmin (local.get $hi) (f32x4.pmax (local.get $lo) (f32x4.mul (local.get $s) (local.get $w))))))
              (v128.store (i32.add (local.get $wi) (local.get $c))
                (f32x4.sub (local.get $w) (f32x4.div (local.get $u1) (f32x4.sqrt (local.get $gw)))))
              (v128.store (i32.add (local.get $wj) (local.get $c))
                (f32x4.sub (local.get $t) (f32x4.div (local.get $u2) (f32x4.sqrt (local.get $gt)))))
              (v128.store (i32.add (i32.add (local.get $wi) (local.get $vecBytes)) (local.get $c))
                (f32x4.add (local.get $gw) (f32x4.mul (local.get $u1) (local.get $u1))))
              (v128.store (i32.add (i32.add (local.get $wj) (local.get $vecBytes)) (local.get $c))
                (f32x4.add (local.get $gt) (f32x4.mul (local.get $u2) (local.get $u2))))
              (local.set $c (i32.add (local.get $c) (i32.const 16)))
              (br_if $updateLoop (i32.lt_u (local.get $c) (local.get $vecBytes))))
            ;; Biases: ∂cost/∂b_i = ∂cost/∂b̃_j = fdiff.
            (local.set $u (f32.mul (local.get $biasEta) (local.get $fdiff)))
            (local.set $wi (i32.add (local.get $wi) (i32.shl (local.get $vecBytes) (i32.const 1))))
            (local.set $wj (i32.add (local.get $wj) (i32.shl (local.get $vecBytes) (i32.const 1))))
            (f32.store offset=0 (local.get $wi)
              (f32.sub (f32.load offset=0 (local.get $wi)) (f32.div (local.get $u) (f32.sqrt (f32.load offset=4 (local.get $wi))))))
            (f32.store offset=4 (local.get $wi) (f32.add (f32.load offset=4 (local.get $wi)) (f32.mul (local.get $u) (local.get $u))))
            (f32.store offset=0 (local.get $wj)
              (f32.sub (f32.load offset=0 (local.get $wj)) (f32.div (local.get $u) (f32.sqrt (f32.load offset=4 (local.get $wj))))))
            (f32.store offset=4 (local.get $wj) (f32.add (f32.load offset=4 (local.get $wj)) (f32.mul (local.get $u) (local.get $u))))))
        (local.set $entry (i32.add (local.get $entry) (i32.const 16)))
        (br $entryLoop)))
    (local.get $cost))
)

;; The exact-kNN scoring kernels (WebAssembly SIMD, 128-bit): scores of query rows against packed data rows.
;; Compiled by scripts/build-wasm.mjs (the npm package `wabt`) into knn-kernels-wasm.ts; run that script after
;; editing this file (`node scripts/build-wasm.mjs --check` tells whether the two agree).
;;
;; Layouts (all float32, byte addresses into the imported memory):
;; - data panels: rows in groups of 8, each group stored dims-major: panel p holds rows 8p..8p+7 as
;;   [c0: r0..r7][c1: r0..r7]...; `dims` values per row, so a panel is dims*32 bytes.
;; - query groups: queries in groups of 4, each group dims-major: [c0: q0..q3][c1: q0..q3]...
;; - scale: one float per data row; every score of row j is multiplied by scale[j] (1/‖x_j‖ for cosine, 1 otherwise).
;; - scores: row-major, one row per query, `stride` bytes apart, 8 scores per panel.
(module
  (import "env" "memory" (memory 1))

  ;; scores[g*4 + r][p*8 + i] = scale[p*8 + i] * Σ_c query[g*4 + r][c] * data[p*8 + i][c]
  ;; for query groups g < groups and panels p < panels: a 4×8 tile of eight f32x4 accumulators per step, the
  ;; largest tile that stays in the 16 SIMD registers V8 allocates (6×8 and 4×12 spill and run at ~60%).
  (func (export "tile4x8")
    (param $queries i32) (param $groups i32) (param $panels i32) (param $count i32) (param $dims i32)
    (param $scale i32) (param $out i32) (param $stride i32)
    (local $g i32) (local $p i32) (local $q i32) (local $b i32) (local $end i32) (local $o i32)
    (local $groupBase i32) (local $panelBase i32) (local $scaleAt i32)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $groupBase (local.get $queries))
    (block $groupsDone
      (loop $groupLoop
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $p (i32.const 0))
        (local.set $panelBase (local.get $panels))
        (local.set $scaleAt (local.get $scale))
        (block $panelsDone
          (loop $panelLoop
            (br_if $panelsDone (i32.ge_u (local.get $p) (local.get $count)))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $q (local.get $groupBase))
            (local.set $b (local.get $panelBase))
            (local.set $end (i32.add (local.get $panelBase) (i32.shl (local.get $dims) (i32.const 5))))
            (loop $dimLoop
              (local.set $b0 (v128.load offset=0 (local.get $b)))
              (local.set $b1 (v128.load offset=16 (local.get $b)))
              (local.set $a (v128.load32_splat offset=0 (local.get $q)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=4 (local.get $q)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=8 (local.get $q)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load32_splat offset=12 (local.get $q)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
              (local.set $b (i32.add (local.get $b) (i32.const 32)))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br_if $dimLoop (i32.lt_u (local.get $b) (local.get $end))))
            ;; Scale by the panel's eight row factors and store the 4×8 tile.
            (local.set $b0 (v128.load offset=0 (local.get $scaleAt)))
            (local.set $b1 (v128.load offset=16 (local.get $scaleAt)))
            (local.set $o (i32.add (i32.add (local.get $out) (i32.mul (i32.shl (local.get $g) (i32.const 2)) (local.get $stride)))
              (i32.shl (local.get $p) (i32.const 5))))
            (v128.store offset=0 (local.get $o) (f32x4.mul (local.get $c00) (local.get $b0)))
            (v128.store offset=16 (local.get $o) (f32x4.mul (local.get $c01) (local.get $b1)))
            (local.set $o (i32.add (local.get $o) (local.get $stride)))
            (v128.store offset=0 (local.get $o) (f32x4.mul (local.get $c10) (local.get $b0)))
            (v128.store offset=16 (local.get $o) (f32x4.mul (local.get $c11) (local.get $b1)))
            (local.set $o (i32.add (local.get $o) (local.get $stride)))
            (v128.store offset=0 (local.get $o) (f32x4.mul (local.get $c20) (local.get $b0)))
            (v128.store offset=16 (local.get $o) (f32x4.mul (local.get $c21) (local.get $b1)))
            (local.set $o (i32.add (local.get $o) (local.get $stride)))
            (v128.store offset=0 (local.get $o) (f32x4.mul (local.get $c30) (local.get $b0)))
            (v128.store offset=16 (local.get $o) (f32x4.mul (local.get $c31) (local.get $b1)))
            (local.set $panelBase (local.get $end))
            (local.set $scaleAt (i32.add (local.get $scaleAt) (i32.const 32)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $panelLoop)))
        (local.set $groupBase (i32.add (local.get $groupBase) (i32.shl (local.get $dims) (i32.const 4))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groupLoop))))

  ;; Writes to `hits` (int32) the positions i < n with scores[i] > threshold, in increasing order; returns how many.
  ;; Sixteen scores per step with one combined test: after the first block almost no score passes.
  (func (export "above") (param $scores i32) (param $n i32) (param $threshold f32) (param $hits i32) (result i32)
    (local $i i32) (local $found i32) (local $limit v128) (local $at i32) (local $j i32) (local $end i32)
    (local.set $limit (f32x4.splat (local.get $threshold)))
    (local.set $end (i32.and (local.get $n) (i32.const -16)))
    (block $vectorsDone
      (loop $vectorLoop
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $at (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 2))))
        (if (v128.any_true
              (v128.or
                (v128.or (f32x4.gt (v128.load offset=0 (local.get $at)) (local.get $limit))
                         (f32x4.gt (v128.load offset=16 (local.get $at)) (local.get $limit)))
                (v128.or (f32x4.gt (v128.load offset=32 (local.get $at)) (local.get $limit))
                         (f32x4.gt (v128.load offset=48 (local.get $at)) (local.get $limit)))))
          (then
            (local.set $j (i32.const 0))
            (loop $laneLoop
              (if (f32.gt (f32.load (i32.add (local.get $at) (i32.shl (local.get $j) (i32.const 2)))) (local.get $threshold))
                (then
                  (i32.store (i32.add (local.get $hits) (i32.shl (local.get $found) (i32.const 2)))
                    (i32.add (local.get $i) (local.get $j)))
                  (local.set $found (i32.add (local.get $found) (i32.const 1)))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $laneLoop (i32.lt_u (local.get $j) (i32.const 16))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectorLoop)))
    (block $tailDone
      (loop $tailLoop
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (if (f32.gt (f32.load (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 2)))) (local.get $threshold))
          (then
            (i32.store (i32.add (local.get $hits) (i32.shl (local.get $found) (i32.const 2))) (local.get $i))
            (local.set $found (i32.add (local.get $found) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tailLoop)))
    (local.get $found))

  ;; out[p] = Σ_c data[i_p][c] * data[j_p][c] for the pairs (i_p, j_p) stored as int32 pairs at `pairs`, p < count:
  ;; the dot products of NN-descent's local joins. Rows are `rowBytes` apart, a multiple of 32 (dims padded to 8 with
  ;; zeros), summed in two f32x4 accumulators.
  (func (export "pairDots") (param $data i32) (param $rowBytes i32) (param $pairs i32) (param $count i32) (param $out i32)
    (local $p i32) (local $a i32) (local $b i32) (local $end i32) (local $s0 v128) (local $s1 v128)
    (block $done
      (loop $pairLoop
        (br_if $done (i32.ge_u (local.get $p) (local.get $count)))
        (local.set $a (i32.add (local.get $data) (i32.mul (i32.load offset=0 (local.get $pairs)) (local.get $rowBytes))))
        (local.set $b (i32.add (local.get $data) (i32.mul (i32.load offset=4 (local.get $pairs)) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $a) (local.get $rowBytes)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (loop $dimLoop
          (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))))
          (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
          (local.set $a (i32.add (local.get $a) (i32.const 32)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $dimLoop (i32.lt_u (local.get $a) (local.get $end))))
        (local.set $s0 (f32x4.add (local.get $s0) (local.get $s1)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
            (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
        (local.set $pairs (i32.add (local.get $pairs) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pairLoop))))
)

"""One measurement of the anchor in a fresh process, run by bench/load.mjs with Debian's /usr/bin/python3:

    /usr/bin/python3 bench/load_gensim.py text|binary PATH

Times only gensim's KeyedVectors.load_word2vec_format call (time.perf_counter) and prints one JSON line with the
seconds and the peak extra RSS: ru_maxrss after the load minus the RSS just before it (gensim already imported).
"""
import json
import resource
import sys
import time

from gensim.models import KeyedVectors


def current_rss_bytes():
    with open('/proc/self/statm', encoding='ascii') as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize()


def main():
    mode, path = sys.argv[1], sys.argv[2]
    baseline = current_rss_bytes()
    started = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(path, binary=(mode == 'binary'))
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, current_rss_bytes())  # ru_maxrss: KiB on Linux
    rows, cols = kv.vectors.shape
    print(json.dumps({
        'tool': 'gensim',
        'mode': mode,
        'rows': int(rows),
        'cols': int(cols),
        'vocab': len(kv.index_to_key),
        'seconds': seconds,
        'baselineBytes': baseline,
        'peakExtraBytes': peak - baseline,
        'checksum': float(kv.vectors[0, 0] + kv.vectors[-1, -1]),
    }))


if __name__ == '__main__':
    main()

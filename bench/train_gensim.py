"""One gensim Word2Vec training for bench/train.mjs, in its own process:

    /usr/bin/python3 bench/train_gensim.py CORPUS OUT.vec sg|cbow WORKERS EPOCHS ALPHA [SEED]

min_count 5, vector_size 100, window 5, negative 5 (no hierarchical softmax), sample 1e-3, min_alpha 1e-4, seed SEED (default 1).
Writes the input vectors as word2vec text and prints one JSON line: vocabulary, raw tokens, the vocabulary scan's and
the training's seconds and the process's CPU seconds while training (all threads).
"""
import json
import resource
import sys
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    corpus, out, mode, workers, epochs, alpha = sys.argv[1:7]
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    sentences = LineSentence(corpus)
    model = Word2Vec(
        vector_size=100, window=5, negative=5, hs=0, min_count=5, sample=1e-3, sg=1 if mode == 'sg' else 0,
        workers=int(workers), alpha=float(alpha), min_alpha=1e-4, seed=seed, epochs=int(epochs),
    )
    started = time.time()
    model.build_vocab(sentences)
    scanned = time.time()
    cpu = cpu_seconds()
    model.train(sentences, total_examples=model.corpus_count, total_words=model.corpus_total_words, epochs=int(epochs))
    trained = time.time()
    train_cpu = cpu_seconds() - cpu
    model.wv.save_word2vec_format(out)
    print(json.dumps({
        'vocab': len(model.wv), 'rawTokens': model.corpus_total_words, 'readSeconds': scanned - started,
        'trainSeconds': trained - scanned, 'trainCpuSeconds': train_cpu,
    }))


main()

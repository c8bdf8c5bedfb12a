"""The SGNS reference for bench/tfjs-models.mts: /usr/bin/python3 bench/tfjs_sgns_glosses.py LABELLED.tsv OUT.txt DIM

Trains gensim Word2Vec (skip-gram, negative sampling) on the texts of a labelled corpus (label<TAB>text lines), the
same documents the classifier sees, and writes the vectors in word2vec text format. The classifier's embedding is
then compared with these: same words, same documents, a meaning objective instead of a label objective.
"""
import logging
import sys

from gensim.models import Word2Vec

logging.disable(logging.CRITICAL)
path, out, dim = sys.argv[1], sys.argv[2], int(sys.argv[3])
sentences = []
with open(path, encoding='utf-8') as lines:
    for line in lines:
        if '\t' in line and not line.startswith('#'):
            words = line.split('\t', 1)[1].split()
            if words:
                sentences.append(words)
model = Word2Vec(sentences, vector_size=dim, window=5, negative=5, sg=1, min_count=2, sample=1e-3, epochs=10, workers=2, seed=1)
model.wv.save_word2vec_format(out)

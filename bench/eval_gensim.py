"""The gensim side of the evaluation benchmark (bench/eval.mjs): /usr/bin/python3 bench/eval_gensim.py VEC EVAL_DIR

Prints one JSON line: seconds (wall and CPU) for KeyedVectors.load_word2vec_format, for evaluate_word_pairs on
WordSim-353 and SimLex-999, and for evaluate_word_analogies(restrict_vocab=30000), with the scores.
"""
import json
import logging
import os
import sys
import time

from gensim.models import KeyedVectors

logging.disable(logging.CRITICAL)
vec, folder = sys.argv[1], sys.argv[2]


def clock():
    return time.perf_counter(), time.process_time()


def since(start):
    wall, cpu = clock()
    return {'wall': wall - start[0], 'cpu': cpu - start[1]}


start = clock()
kv = KeyedVectors.load_word2vec_format(vec)
load = since(start)

start = clock()
scores = {}
for name, file in (('wordsim', 'wordsim353.tsv'), ('simlex', 'simlex999.txt')):
    path = os.path.join(folder, file)
    _, spearman, oov = kv.evaluate_word_pairs(path)
    total = sum(1 for line in open(path, encoding='utf8') if not line.startswith('#') and len(line.split('\t')) == 3)
    scores[name] = {'spearman': float(spearman.statistic), 'pairs': total, 'covered': total - round(oov * total / 100)}
pairs = since(start)

start = clock()
accuracy, sections = kv.evaluate_word_analogies(os.path.join(folder, 'questions-words.txt'), restrict_vocab=30000)
analogies = since(start)
answered = len(sections[-1]['correct']) + len(sections[-1]['incorrect'])
scores['analogies'] = {'accuracy': float(accuracy), 'answered': answered}
print(json.dumps({'load': load, 'pairs': pairs, 'analogies': analogies, 'scores': scores}))

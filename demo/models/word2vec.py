"""word2vec skip-gram with negative sampling (gensim): two matrices, the word vectors U (wv) and the context
vectors V (syn1neg). Most tools keep U and throw V away; Embedding Lens shows both when the file has both."""
from gensim.models import Word2Vec

sentences = [line.split() for line in open('corpus/corpus.txt', encoding='utf-8')]
model = Word2Vec(sentences, vector_size=16, window=5, negative=5, min_count=3, sg=1, epochs=5, seed=1)
model.wv.save_word2vec_format('checkpoints/word2vec/vectors.bin', binary=True)
model.save('checkpoints/word2vec/full.model')  # keeps syn1neg (V) too

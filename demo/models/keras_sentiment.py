"""A Keras sentiment model whose Embedding layer is a lookup table trained only by the task's loss.

Its embedding learns what separates positive from negative text, not what words mean: open
checkpoints/keras/sentiment.keras beside this file and compare its neighbours with word2vec's.
"""
import keras

VOCAB = 1000  # the tokenizer's vocabulary size
DIM = 8  # embedding width

model = keras.Sequential(
    [
        keras.Input(shape=(None,), dtype='int32'),
        keras.layers.Embedding(VOCAB, DIM, name='word_embedding'),  # U: the input matrix
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(1, activation='sigmoid', name='score'),
    ]
)
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
# model.fit(token_ids, labels, epochs=5)
model.save('checkpoints/keras/sentiment.keras')

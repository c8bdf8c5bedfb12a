"""A small LSTM language model whose output layer reuses the input embedding (Press & Wolf 2016).

With tie_weights=True, decoder.weight *is* encoder.weight: the state dict stores one tensor under two names, and
Embedding Lens reports the checkpoint as tied (U = V).
"""
import torch
from torch import nn


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, tie_weights):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)  # U
        self.rnn = nn.LSTM(ninp, nhid, batch_first=True)
        self.decoder = nn.Linear(nhid, ntoken)  # V (softmax weights)
        if tie_weights:
            self.decoder.weight = self.encoder.weight

    def forward(self, source, hidden=None):
        output, hidden = self.rnn(self.encoder(source), hidden)
        return self.decoder(output), hidden


model = RNNModel(ntoken=1000, ninp=32, nhid=32, tie_weights=True)
# ... train on corpus/corpus.txt ...
torch.save(model.state_dict(), 'checkpoints/pytorch/lm-tied.pt')

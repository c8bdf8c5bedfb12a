import type { CheckpointFormat } from './format';
import { fastTextBin } from './formats/fasttext-bin';
import { gensimModel } from './formats/gensim';
import { gloveBinary } from './formats/glove-binary';
import { gloveModel0Text } from './formats/glove-text';
import { kerasH5 } from './formats/keras-h5';
import { kerasZip } from './formats/keras-zip';
import { npy } from './formats/npy';
import { npz } from './formats/npz';
import { projectorTsv } from './formats/projector-tsv';
import { pytorchLegacy, pytorchZip } from './formats/pytorch';
import { safetensors } from './formats/safetensors';
import { safetensorsIndex } from './formats/safetensors-index';
import { tfjsLayers } from './formats/tfjs';
import { word2vecBinary } from './formats/word2vec-binary';
import { headerlessText, word2vecText } from './formats/word2vec-text';

/**
 * Every reader, in sniffing order: formats with a magic number first, then those recognised by structure,
 * then plain text (the least specific).
 */
export const FORMATS: readonly CheckpointFormat[] = [
  fastTextBin,
  npy,
  npz,
  kerasZip,
  kerasH5,
  pytorchZip,
  pytorchLegacy,
  gensimModel,
  safetensors,
  safetensorsIndex,
  tfjsLayers,
  word2vecBinary,
  gloveBinary,
  gloveModel0Text,
  projectorTsv,
  word2vecText,
  headerlessText,
];

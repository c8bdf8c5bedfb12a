import type { CheckpointFormat } from './format';
import { fastTextBin } from './formats/fasttext-bin';
import { gloveBinary } from './formats/glove-binary';
import { gloveModel0Text } from './formats/glove-text';
import { projectorTsv } from './formats/projector-tsv';
import { word2vecBinary } from './formats/word2vec-binary';
import { headerlessText, word2vecText } from './formats/word2vec-text';

/**
 * Every reader, in sniffing order: formats with a magic number first, then those recognised by structure,
 * then plain text (the least specific).
 */
export const FORMATS: readonly CheckpointFormat[] = [
  fastTextBin,
  word2vecBinary,
  gloveBinary,
  gloveModel0Text,
  projectorTsv,
  word2vecText,
  headerlessText,
];

import type { EncodedCorpus } from '../../../../src/core/train/corpus';
import { encodeLines } from '../../../../src/core/train/corpus';
import { seededRandom } from '../../helpers';

/** A toy language with learnable structure (determiner, adjective?, noun, verb, determiner, noun), seeded. */
export function toyCorpus(sentences: number, seed: number): EncodedCorpus {
  const random = seededRandom(seed);
  const pick = (words: readonly string[]): string => words[Math.floor(random() * words.length)] as string;
  const nouns = ['cat', 'dog', 'bird', 'fish', 'mat', 'tree'];
  const lines = Array.from({ length: sentences }, () => {
    const adjective = random() < 0.5 ? [pick(['big', 'small', 'red'])] : [];
    return ['the', ...adjective, pick(nouns), pick(['sees', 'eats', 'likes', 'chases']), pick(['a', 'the']), pick(nouns), '.'].join(' ');
  });
  return encodeLines(lines, { minCount: 1 });
}

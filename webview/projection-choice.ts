import type { ProjectionMethod, ProjectionSpace } from '../src/core/analysis/projection-types';

/** What the bar lets the user choose, as it is saved in the view state. */
export interface ProjectionChoice {
  readonly method: ProjectionMethod;
  readonly space: ProjectionSpace;
  /** Text of the top-N field ('' = all rows). */
  readonly limit: string;
  readonly axisX: string;
  readonly axisY: string;
  /** 3 for a 3-D layout; absent (state saved before 3-D existed) or 2: a flat one. */
  readonly dims?: 2 | 3;
  /** Text of the custom z axis (3-D custom axes); absent = ''. */
  readonly axisZ?: string;
}

/** The bar's starting choice: the picture the panel opens with. */
export const DEFAULT_CHOICE: ProjectionChoice = { method: 'pca', space: 'input', limit: '', axisX: '', axisY: '' };

/** The dimensions a choice asks for (2 when it does not say). */
export function choiceDims(choice: ProjectionChoice): 2 | 3 {
  return choice.dims === 3 ? 3 : 2;
}

import type { ProjectionMethod, ProjectionSpace } from '../src/core/analysis/projection-types';

/** What the bar lets the user choose, as it is saved in the view state. */
export interface ProjectionChoice {
  readonly method: ProjectionMethod;
  readonly space: ProjectionSpace;
  /** Text of the top-N field ('' = all rows). */
  readonly limit: string;
  readonly axisX: string;
  readonly axisY: string;
}

/** The bar's starting choice: the picture the panel opens with. */
export const DEFAULT_CHOICE: ProjectionChoice = { method: 'pca', space: 'input', limit: '', axisX: '', axisY: '' };

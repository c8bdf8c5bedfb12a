/** The results file, bench/RESULTS.md. */
export declare const RESULTS_PATH: string;
/** Replaces (or appends) the section `name` of bench/RESULTS.md with `markdown`. */
export declare function writeResultsSection(name: string, markdown: string): Promise<void>;

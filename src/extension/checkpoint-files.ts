import * as vscode from 'vscode';

/**
 * File names that are checkpoints of the kinds we read. Globs only find candidates for the quick pick; the
 * worker sniffs the content, so a wrong guess here gives a clear error, not a wrong reading.
 */
const CHECKPOINT_GLOB =
  '**/*.{bin,vec,txt,npy,npz,safetensors,pt,pth,ckpt,h5,hdf5,keras,model,kv,ftz,tsv,json,index.json,w2v,word2vec,glove}';
/** Folders never worth searching (and often huge). */
const EXCLUDE_GLOB = '**/{node_modules,.git,.venv,venv,__pycache__,.cache,dist,out}/**';
/** Names that match the glob but are never checkpoints. */
const NOT_CHECKPOINTS =
  /(^|\/)(package(-lock)?\.json|tsconfig.*\.json|settings\.json|launch\.json|tasks\.json|\.eslintrc.*|requirements.*\.txt|README.*|LICENSE.*|CHANGELOG.*|vocab\.txt|merges\.txt|special_tokens_map\.json|tokenizer_config\.json|generation_config\.json|metadata\.tsv)$/i;
/** The quick pick lists at most this many files; the "Browse…" entry covers the rest. */
const MAX_FILES = 500;

/** Candidate checkpoint files in the workspace, most likely first (model files before text). */
export async function findCheckpointFiles(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(CHECKPOINT_GLOB, EXCLUDE_GLOB, MAX_FILES * 4, token);
  const likely = found.filter((uri) => !NOT_CHECKPOINTS.test(uri.path) && !isModelConfig(uri));
  likely.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  return likely.slice(0, MAX_FILES);
}

/** Hugging Face config.json files are read via their folder; the folder is offered as the checkpoint. */
function isModelConfig(uri: vscode.Uri): boolean {
  return /(^|\/)(config|tokenizer|vocab)\.json$/i.test(uri.path);
}

function rank(uri: vscode.Uri): number {
  if (/\.(txt|tsv|json)$/i.test(uri.path)) return 2; // text files are often not checkpoints
  if (/\.(bin|model)$/i.test(uri.path)) return 1;
  return 0;
}

import type { PickleGlobal } from './values';

/**
 * The rule for calls in a pickle. Nothing is ever imported or run, whatever the verdict: the verdict decides
 * whether we go on reading the file as data or refuse it as a pickle built to run code.
 *
 * 1. A call whose callee is not a plain global (e.g. the result of another call, the `getattr(...)(...)` gadget)
 *    is refused.
 * 2. A call to anything in a module that runs code, touches the OS, the network or other files (os, posix,
 *    subprocess, builtins' eval/exec/getattr/open, importlib, pickle itself, operator/functools gadgets, torch.hub,
 *    numpy.load, …) is refused as soon as the pickle makes it, wherever it is in the file.
 * 3. builtins, codecs and copyreg are callable only for the few data constructors real pickles use (set, bytearray,
 *    _codecs.encode, copyreg._reconstructor, …).
 * 4. Any other call is either a known data constructor the interpreters turn into data (torch tensors, numpy
 *    arrays, OrderedDict) or stays an inert record (gensim's classes, a user's classes). Readers that need such a
 *    record's value and do not recognise it fail with a clear message; they never call it.
 */

/** Modules (and their submodules) whose callables can run code or reach outside the file. */
const UNSAFE_MODULES = [
  'os',
  'posix',
  'nt',
  'posixpath',
  'ntpath',
  'subprocess',
  'sys',
  'shutil',
  'socket',
  'ssl',
  'ctypes',
  'cffi',
  'importlib',
  'imp',
  'zipimport',
  'pkgutil',
  'runpy',
  'pickle',
  '_pickle',
  'pickletools',
  'copy',
  'shelve',
  'marshal',
  'dill',
  'cloudpickle',
  'joblib',
  'code',
  'codeop',
  'compileall',
  'py_compile',
  'pty',
  'tty',
  'commands',
  'popen2',
  'webbrowser',
  'multiprocessing',
  'concurrent',
  'signal',
  'threading',
  '_thread',
  'thread',
  'asyncio',
  'sched',
  'types',
  'operator',
  '_operator',
  'functools',
  '_functools',
  'itertools',
  'io',
  '_io',
  'fileinput',
  'tempfile',
  'glob',
  'shlex',
  'platform',
  'sysconfig',
  'site',
  'ensurepip',
  'pip',
  'setuptools',
  'distutils',
  'venv',
  'inspect',
  'gc',
  'atexit',
  'resource',
  'fcntl',
  'select',
  'selectors',
  'mmap',
  'pdb',
  'bdb',
  'trace',
  'timeit',
  'profile',
  'cProfile',
  'doctest',
  'unittest',
  'idlelib',
  'lib2to3',
  'http',
  'urllib',
  'urllib2',
  'httplib',
  'ftplib',
  'smtplib',
  'telnetlib',
  'poplib',
  'imaplib',
  'xmlrpc',
  'socketserver',
  'requests',
  'tarfile',
  'zipfile',
  'logging',
  'yaml',
  'jinja2',
  'torch.hub',
  'torch.jit',
  'torch._C',
  'torch.ops',
  'torch.classes',
  'torch.serialization',
  'torch.utils.cpp_extension',
  'torch.distributed',
  'torch.multiprocessing',
  'torch.package',
  'numpy.testing',
  'numpy.f2py',
  'numpy.distutils',
  'numpy.ctypeslib',
  'numpy.lib.npyio',
];

/** Single callables of otherwise harmless modules that read or write files or load code. */
const UNSAFE_NAMES = new Set([
  'torch.load',
  'torch.save',
  'torch.from_file',
  'numpy.load',
  'numpy.save',
  'numpy.savez',
  'numpy.loadtxt',
  'numpy.genfromtxt',
  'numpy.fromfile',
  'numpy.memmap',
  'numpy.fromregex',
  'torch.storage._load_from_bytes', // torch.load of embedded bytes
  'pandas.eval',
  'pandas.read_pickle',
  'numexpr.evaluate',
]);

/** Modules where only the listed callables may be called: the data constructors real pickles use. */
const PARTLY_SAFE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [
    'builtins',
    new Set([
      'set',
      'frozenset',
      'bytearray',
      'bytes',
      'complex',
      'slice',
      'range',
      'object',
      'list',
      'dict',
      'tuple',
      'int',
      'float',
      'str',
      'bool',
    ]),
  ],
  ['_codecs', new Set(['encode'])],
  ['codecs', new Set(['encode'])],
  ['copyreg', new Set(['_reconstructor', '__newobj__', '__newobj_ex__'])],
]);

/** Python 2 module names that Python 3's unpickler maps to their new names (a subset of _compat_pickle). */
export const PY2_MODULES: ReadonlyMap<string, string> = new Map([
  ['__builtin__', 'builtins'],
  ['copy_reg', 'copyreg'],
  ['cPickle', 'pickle'],
  ['exceptions', 'builtins'],
  ['UserDict', 'collections'],
  ['_abcoll', 'collections.abc'],
]);

function inModule(module: string, root: string): boolean {
  return module === root || module.startsWith(`${root}.`);
}

/**
 * Why a call of `callee` must be refused, or undefined when the pickle may go on being read as data.
 * Applies to every call opcode (REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ) and to copyreg's reconstructor.
 */
export function refusalReason(callee: PickleGlobal): string | undefined {
  const { module, name, qualified } = callee;
  const allowed = PARTLY_SAFE.get(module);
  if (allowed) return allowed.has(name) ? undefined : `pickle asks to call ${qualified}`;
  if (UNSAFE_NAMES.has(qualified)) return `pickle asks to call ${qualified}`;
  // Protocol 4 names may be dotted paths ('hub.load' in module 'torch'): judge the whole path.
  if (UNSAFE_MODULES.some((root) => inModule(qualified, root))) return `pickle asks to call ${qualified}`;
  // Dunder attributes (__getattribute__, __globals__, __subclasses__ …) are how gadgets reach code.
  if (name.split('.').some((part) => part.length > 4 && part.startsWith('__') && part.endsWith('__'))) {
    return `pickle asks to call ${qualified}`;
  }
  return undefined;
}

// tests/bench/peer_faceapi.js
//
// face-api 1.7.15 (tfjs 4.22 on its WebAssembly backend, in node) as the peer of build/bin/bench_face
// (tests/bench/face.cpp): the same three figures on the same pixels, with face-api's own weights.
//
//   descriptor 150x150   faceapi.computeFaceDescriptor(face)                        (the recognition net)
//   detector 640x480     faceapi.detectAllFaces(photo, SSD, minConfidence 0.5)      (SSD-MobileNetV1)
//   pipeline 640x480     detectAllFaces(photo, SSD).withFaceLandmarks().withFaceDescriptors()
//
// Installed by `make face-api-peer` into build/face-api-peer/ (never a build dependency). The inputs are raw
// RGB bytes, row after row (H x W x 3, uint8), in files bench_face writes: --photo FILE:WxH --face FILE:WxH.
//
//   node tests/bench/peer_faceapi.js --modules build/face-api-peer/node_modules --threads 1 --runs 5 \
//        --photo photo.rgb:640x480 --face face.rgb:150x150
//
// prints one line per figure: "RESULT <tab> name <tab> median seconds" (after two warm-up runs). With --serve
// it takes its orders on stdin, one per line, as tests/bench/peer_torch.py does:
//   "setup <figure>"  builds the figure and runs it twice (warm-up), answers "READY"
//   "time"            runs the figure set up last once, answers "TIME <tab> seconds"
//   "info"            answers "INFO <tab> versions, backend, SIMD, threads"
//
// Threads. On one thread the backend runs its SIMD build, as face-api does in node by default. tfjs 4.22
// turns its threaded build off in node (WASM_HAS_MULTITHREAD_SUPPORT is false there) and sizes the XNNPACK
// thread pool to half the logical cores (it assumes two hardware threads per core); for --threads N > 1 this
// script switches the threaded SIMD build on (useThreadedBuild below) and shows it 2 N cores, so that
// setThreadsCount(N) is kept. "info" reports the pool's actual size (getThreadsCount).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

function parseArgs(argv) {
  const args = { modules: 'build/face-api-peer/node_modules', threads: 1, runs: 5, serve: false };
  for (let i = 2; i < argv.length; ++i) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'serve') args.serve = true;
    else if (i + 1 < argv.length) args[key] = argv[++i];
    else throw new Error(`peer_faceapi.js: option --${key} needs a value`);
  }
  args.threads = Number(args.threads);
  args.runs = Number(args.runs);
  return args;
}

// "FILE:WxH" -> { file, W, H }
function parseInput(spec, what) {
  const m = /^(.*):(\d+)x(\d+)$/.exec(spec || '');
  if (!m) throw new Error(`peer_faceapi.js: expected --${what} FILE:WxH, got '${spec}'`);
  return { file: m[1], W: Number(m[2]), H: Number(m[3]) };
}

// The threaded build in node. Its pthreads are node worker threads, started from a script that tfjs hands
// over as a Blob URL, which node's Worker does not load: Blob and URL.createObjectURL are replaced, while
// the backend starts, by ones that write the script to a temporary file. The worker script evaluates the
// module's factory in its own global scope, where the names the bundle gave to its imports are defined first.
function useThreadedBuild(tf, threads) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlab-faceapi-peer-'));
  class TextBlob {
    constructor(parts) { this.parts = parts.map(String); }
  }
  const workerPrelude = `Object.assign(global, { require$$0: require('fs'), require$$1: require('path'),
  require$$3: require('perf_hooks'), require$$4: require('os'), commonjsGlobal: global });
URL.createObjectURL = (blob) => {
  const file = require('path').join(${JSON.stringify(dir)}, 'factory' + require('worker_threads').threadId + '.js');
  require('fs').writeFileSync(file, blob.parts.join(''));
  return file;
};
URL.revokeObjectURL = () => {};
`;
  let files = 0;
  const saved = { Blob: global.Blob, createObjectURL: URL.createObjectURL, cpus: os.cpus };
  global.Blob = TextBlob;
  URL.createObjectURL = (blob) => {
    const file = path.join(dir, `worker${files++}.js`);
    fs.writeFileSync(file, (blob.parts[0].includes('worker_threads') ? workerPrelude : '') + blob.parts.join(''));
    return file;
  };
  const cores = saved.cpus();
  os.cpus = () => Array.from({ length: 2 * threads }, () => cores[0]);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  tf.setThreadsCount(threads);
  return () => {
    global.Blob = saved.Blob;
    URL.createObjectURL = saved.createObjectURL;
    os.cpus = saved.cpus;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  };
}

async function loadFaceApi(args) {
  const faceapi = require(path.resolve(args.modules, '@vladmandic/face-api/dist/face-api.node-wasm.js'));
  const tf = faceapi.tf;
  const restore = args.threads > 1 ? useThreadedBuild(tf, args.threads) : () => {};
  try {
    await tf.setBackend('wasm');
    await tf.ready();
  } finally {
    restore();
  }
  if (tf.getBackend() !== 'wasm') throw new Error('peer_faceapi.js: the wasm backend did not start');
  const model = path.resolve(args.modules, '@vladmandic/face-api/model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(model);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(model);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(model);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const version = JSON.parse(fs.readFileSync(path.resolve(args.modules, '@vladmandic/face-api/package.json'))).version;
  const info = `face-api ${version}, tfjs ${tf.version_core}, node ${process.versions.node}, wasm backend ` +
    `(${threaded ? 'threaded SIMD' : simd ? 'SIMD' : 'plain'} build), ${tf.getThreadsCount()} thread(s)`;
  return { faceapi, tf, info };
}

// The raw RGB file as an int32 tensor (H, W, 3), as face-api's node examples make their inputs.
function image(tf, input) {
  const bytes = fs.readFileSync(input.file);
  if (bytes.length !== input.W * input.H * 3)
    throw new Error(`peer_faceapi.js: ${input.file} has ${bytes.length} bytes, expected ${input.W} x ${input.H} x 3`);
  return tf.tensor3d(new Uint8Array(bytes), [input.H, input.W, 3], 'int32');
}

function figures(api, args) {
  const { faceapi, tf } = api;
  const photo = parseInput(args.photo, 'photo'), face = parseInput(args.face, 'face');
  const ssd = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });
  const with_ = (input, run) => () => {
    const t = image(tf, input);
    return { run: () => run(t), dispose: () => t.dispose() };
  };
  return {
    [`descriptor ${face.W}x${face.H}`]: with_(face, (t) => faceapi.computeFaceDescriptor(t)),
    [`detector ${photo.W}x${photo.H}`]: with_(photo, (t) => faceapi.detectAllFaces(t, ssd)),
    [`pipeline ${photo.W}x${photo.H}`]: with_(photo,
      (t) => faceapi.detectAllFaces(t, ssd).withFaceLandmarks().withFaceDescriptors()),
  };
}

async function seconds(run) {
  const t0 = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function serve(api, table) {
  const readline = require('readline');
  let figure = null;
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [order, ...rest] = line.trim().split(' ');
    const name = rest.join(' ');
    if (order === 'setup' && table[name]) {
      if (figure) figure.dispose();
      figure = table[name]();
      await figure.run();
      await figure.run();
      console.log('READY');
    } else if (order === 'time' && figure) {
      console.log(`TIME\t${(await seconds(figure.run)).toFixed(6)}`);
    } else if (order === 'info') {
      console.log(`INFO\t${api.info}`);
    } else {
      console.error(`peer_faceapi.js: cannot do '${line.trim()}' (figures: ${Object.keys(table).join(', ')})`);
      console.log('ERROR');
    }
  }
}

async function main() {
  const args = parseArgs(process.argv);
  const api = await loadFaceApi(args);
  const table = figures(api, args);
  if (args.serve) return serve(api, table);
  console.log(api.info);
  for (const [name, make] of Object.entries(table)) {
    const figure = make();
    await figure.run();
    await figure.run();
    const times = [];
    for (let i = 0; i < args.runs; ++i) times.push(await seconds(figure.run));
    times.sort((a, b) => a - b);
    console.log(`RESULT\t${name}\t${times[Math.floor(times.length / 2)].toFixed(6)}`);
    figure.dispose();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(`peer_faceapi.js: ${e && e.message ? e.message : e}`);
  process.exit(1);
});

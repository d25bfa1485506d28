import readline from "node:readline";

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

export function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Resolves with the first emission of `event` (its arguments as an array), or rejects after ms. */
export function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves when `count` emissions of `event` arrived, with all of them. */
export function collect(emitter, event, count, ms = 5000) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => reject(new Error(`only ${got.length}/${count} '${event}' within ${ms} ms`)), ms);
    const on = (...args) => {
      got.push(args.length === 1 ? args[0] : args);
      if (got.length === count) {
        clearTimeout(timer);
        emitter.off(event, on);
        resolve(got);
      }
    };
    emitter.on(event, on);
  });
}

/** Fails if `event` is emitted within ms; resolves otherwise. */
export function never(emitter, event, ms) {
  return new Promise((resolve, reject) => {
    const on = (...args) => reject(new Error(`unexpected '${event}' ${JSON.stringify(args)}`));
    emitter.once(event, on);
    setTimeout(() => {
      emitter.off(event, on);
      resolve();
    }, ms);
  });
}

export const delay = (ms) => new Promise((r) => setTimeout(r, ms));

let rl;
/** Asks the JUnit harness to do something and waits until it is done. */
export async function control(command) {
  rl = rl || readline.createInterface({ input: process.stdin });
  const done = new Promise((resolve) => rl.once("line", resolve));
  process.stdout.write(`CONTROL ${command}\n`);
  const line = await done;
  assertEqual(line.trim(), "CONTROL-DONE", "control answer");
}

export function bytes(buf) {
  return Array.from(new Uint8Array(buf instanceof ArrayBuffer ? buf : buf.buffer ? buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) : buf));
}

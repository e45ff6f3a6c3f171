/**
 * The order Jest runs test files in: the emulator's heaviest suites first, then Jest's own order.
 * Why: the Firestore emulator slows down as it accumulates state over a run (it keeps each document's
 * history and walks it for listings and snapshot reads; clearing its data does not bring the speed
 * back), and the hostile fuzz and the idempotency matrix make thousands of such calls: run alone on a
 * fresh emulator the fuzz takes about 80 s, after 26 other files it took over 500 s.
 */
import TestSequencer from "@jest/test-sequencer";

const Sequencer = TestSequencer.default ?? TestSequencer;

const FIRST = ["test/integration/hostileCallables.test.ts", "test/integration/idempotency.test.ts"];

export default class HeaviestFirst extends Sequencer {
  async sort(tests) {
    const rank = (test) => {
      const i = FIRST.findIndex((suffix) => test.path.endsWith(suffix));
      return i === -1 ? FIRST.length : i;
    };
    const ordered = [...(await super.sort(tests))];
    return ordered.sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Tokens for the values of one column: each value gets a token of the same shape — the
 * same number of characters, each ASCII letter a letter of the same case, each digit a
 * digit, each character outside ASCII (é, ß, 漢, €) a CJK ideograph, ASCII punctuation
 * and spaces kept — and the tokens sort as the values do.
 *
 * Order-preserving, precisely: the tokens are built on a trie of the values' letters,
 * digits and non-ASCII characters (letters case-folded); the children of a node are replaced, class by class, by
 * characters in the same order, so two values first differing at a position differ there
 * in the same way in their tokens. That is their order in byte order (the C and C.UTF-8
 * collations) whatever the characters, and in linguistic collations (glibc, ICU) as long
 * as the first difference is a letter or digit the collation weighs in code point order;
 * `schemabench stats capture --redact` checks the order under the column's own collation
 * on the server and records a column where it differs (docs/production-statistics.md).
 *
 * Stable: the tokens are a pure function of the set of values (the same set, the same
 * tokens, byte for byte). No mapping can be both order-preserving and a function of each
 * value alone: the strings of one shape are finitely many and totally ordered, and an
 * order-preserving one-to-one map of a finite ordered set into itself is the identity.
 * So a new value can change the tokens of others: the replacement characters of a node
 * are a seeded pick among the class's characters, the seed being the tokens above it.
 */
import { createHash } from 'node:crypto';

type CharClass = 'digit' | 'letter' | 'other';

const DIGITS = [...'0123456789'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
/** CJK Unified Ideographs, U+4E00..U+9FFF: after every Latin letter in byte order and in the usual collations. */
const CJK_START = 0x4e00;
const CJK_SIZE = 0x9fff - 0x4e00 + 1;

function classOf(char: string): CharClass | undefined {
  if (char >= '0' && char <= '9') return 'digit';
  if ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z')) return 'letter';
  // Every character outside ASCII, symbols included: kept as is, a symbol would sort
  // among the CJK replacements of its neighbours in byte order (€ is U+20AC, é U+00E9).
  if (char.codePointAt(0)! > 0x7f) return 'other';
  return undefined;
}

/** The trie key of a significant character: letters case-folded (their case is kept apart). */
const keyOf = (char: string, cls: CharClass) => (cls === 'letter' ? char.toLowerCase() : char);

interface TrieNode {
  children: Map<string, TrieNode>;
  /** key -> replacement (lower-case for letters), filled once the node's children are known. */
  replacement?: Map<string, string>;
}

const alphabetSize = (cls: CharClass) => (cls === 'digit' ? DIGITS.length : cls === 'letter' ? LETTERS.length : CJK_SIZE);
const alphabetChar = (cls: CharClass, i: number) => (cls === 'digit' ? DIGITS[i]! : cls === 'letter' ? LETTERS[i]! : String.fromCodePoint(CJK_START + i));

/** k distinct indexes of 0..n-1, ascending, drawn from a SHA-256 stream of `seed` (a partial Fisher-Yates shuffle). */
function pick(n: number, k: number, seed: string): number[] {
  const chosen = new Map<number, number>();
  let block = Buffer.alloc(0);
  let used = 0;
  let counter = 0;
  const next = () => {
    if (used + 4 > block.length) {
      block = createHash('sha256').update(`${seed}\u0000${counter++}`).digest();
      used = 0;
    }
    used += 4;
    return block.readUInt32BE(used - 4);
  };
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + (next() % (n - i));
    const at = chosen.get(j) ?? j;
    chosen.set(j, chosen.get(i) ?? i);
    out.push(at);
  }
  return out.sort((a, b) => a - b);
}

function replacements(node: TrieNode, path: string): Map<string, string> {
  if (node.replacement) return node.replacement;
  const byClass = new Map<CharClass, string[]>();
  for (const key of node.children.keys()) {
    const cls = classOf(key)!;
    byClass.set(cls, [...(byClass.get(cls) ?? []), key]);
  }
  const map = new Map<string, string>();
  for (const [cls, keys] of byClass) {
    // Code point order of the keys; the chosen characters ascend the same way.
    keys.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const chosen = pick(alphabetSize(cls), keys.length, `${cls}\u0000${path}`);
    keys.forEach((key, i) => map.set(key, alphabetChar(cls, chosen[i]!)));
  }
  node.replacement = map;
  return map;
}

/** value -> token, for every distinct value given (see the file's comment for what is preserved). */
export function shapeTokens(values: Iterable<string>): Map<string, string> {
  const distinct = [...new Set(values)];
  const root: TrieNode = { children: new Map() };
  for (const value of distinct) {
    let node = root;
    for (const char of value) {
      const cls = classOf(char);
      if (!cls) continue;
      const key = keyOf(char, cls);
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map() }));
      node = child;
    }
  }
  const tokens = new Map<string, string>();
  for (const value of distinct) {
    let node = root;
    let path = '';
    let token = '';
    for (const char of value) {
      const cls = classOf(char);
      if (!cls) {
        token += char;
        continue;
      }
      const key = keyOf(char, cls);
      const replacement = replacements(node, path).get(key)!;
      const out = cls === 'letter' && char !== key ? replacement.toUpperCase() : replacement;
      token += out;
      path += replacement;
      node = node.children.get(key)!;
    }
    tokens.set(value, token);
  }
  return tokens;
}

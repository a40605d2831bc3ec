/**
 * Building DecodeProblems. One place decides the wording, so a vector that breaks its RFC bound
 * reads the same whichever message it sits in.
 */
import type { DecodeProblem } from './types.js';

/** Shared empty result: the common "nothing wrong" answer allocates nothing. */
export const NO_PROBLEMS: readonly DecodeProblem[] = Object.freeze([]);

export function problem(
  severity: DecodeProblem['severity'],
  code: string,
  field: string,
  message: string,
  rule?: string,
  offset?: number,
): DecodeProblem {
  const p: { -readonly [K in keyof DecodeProblem]: DecodeProblem[K] } = { severity, code, field, message };
  if (rule !== undefined) p.rule = rule;
  if (offset !== undefined) p.offset = offset;
  return p;
}

/**
 * A vector bound as an RFC declares it. `decl` is the RFC's own presentation-language line, quoted
 * in the message so the reader sees exactly which rule was broken.
 */
export interface VectorBound {
  /** Minimum length in bytes (the `floor` of `<floor..ceiling>`). */
  readonly min: number;
  /** Maximum length in bytes. */
  readonly max: number;
  /** Element size in bytes: the length must be a multiple of it (2 for cipher suites). */
  readonly unit?: number;
  /** The RFC's declaration, e.g. `DistinguishedName certificate_authorities<3..2^16-1>`. */
  readonly decl: string;
  /** The rule, e.g. `RFC 6101 §5.6.4`. */
  readonly rule: string;
  /** Protocol version this bound belongs to, for the message (`SSL 3.0 requires ...`). */
  readonly versionName?: string;
}

/** Last path component: `CertificateRequest.certificate_authorities` → `certificate_authorities`. */
function leaf(field: string): string {
  const dot = field.lastIndexOf('.');
  return dot < 0 ? field : field.slice(dot + 1);
}

function bytes(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/**
 * Problems for a vector length against its bound (empty list, below min, above max, not a whole
 * number of elements). Appends to `out`; returns nothing so callers on hot paths allocate nothing
 * when the length is fine.
 */
export function checkVectorBound(out: DecodeProblem[], field: string, length: number, bound: VectorBound, offset?: number): void {
  // The common case, within its bound, builds no string.
  if (length >= bound.min && length <= bound.max && (length > 0 || bound.min === 0) && (bound.unit === undefined || bound.unit <= 1 || length % bound.unit === 0)) return;
  const name = leaf(field);
  const who = bound.versionName !== undefined ? `${bound.versionName} requires` : 'the RFC requires';
  const cite = `(${bound.rule}: ${bound.decl})`;
  if (length === 0 && bound.min > 0) {
    out.push(problem('error', 'empty-vector-forbidden', field,
      `${name} is empty (length 0); ${who} at least ${bytes(bound.min)} ${cite}`, bound.rule, offset));
    return;
  }
  if (length < bound.min) {
    out.push(problem('error', 'vector-length', field,
      `${name} length ${length} is below the minimum ${bound.min}; ${who} at least ${bytes(bound.min)} ${cite}`, bound.rule, offset));
  } else if (length > bound.max) {
    out.push(problem('error', 'vector-length', field,
      `${name} length ${length} is above the maximum ${bound.max} ${cite}`, bound.rule, offset));
  }
  if (bound.unit !== undefined && bound.unit > 1 && length % bound.unit !== 0) {
    out.push(problem('error', 'vector-length', field,
      `${name} length ${length} is not a multiple of ${bound.unit} (each element is ${bytes(bound.unit)}) ${cite}`, bound.rule, offset));
  }
}

/**
 * One plaintext alert (RFC 5246 §7.2; RFC 6101 §5.4; RFC 8446 §6): AlertLevel level;
 * AlertDescription description. Exactly two bytes; anything else is reported.
 */
import type { DecodeProblem, DecodedAlert } from './types.js';
import { NO_PROBLEMS, problem } from './problems.js';
import { alertDescription, alertInfo, alertLevelName } from './registry/alerts.js';

/** Decodes the 2-byte alert at the start of `fragment`; a short or long fragment is a problem, never an exception. */
export function decodeAlert(fragment: Uint8Array): DecodedAlert {
  if (fragment.length < 2) {
    const level = fragment.length === 1 ? fragment[0] : 0;
    return {
      level,
      levelName: alertLevelName(level),
      code: -1,
      description: 'truncated',
      problems: [problem('error', 'buffer-too-small', 'Alert',
        `alert is ${fragment.length} byte${fragment.length === 1 ? '' : 's'} long; an alert is 2 bytes (level, description)`,
        'RFC 5246 §7.2', 0)],
    };
  }
  const level = fragment[0];
  const code = fragment[1];
  const levelOk = level === 1 || level === 2;
  const known = alertInfo(code) !== undefined;
  let problems: readonly DecodeProblem[] = NO_PROBLEMS;
  if (!levelOk || !known || fragment.length > 2) {
    const out: DecodeProblem[] = [];
    if (!levelOk) {
      out.push(problem('warning', 'unknown-alert-level', 'Alert.level',
        `alert level ${level} is neither warning(1) nor fatal(2)`, 'RFC 5246 §7.2', 0));
    }
    if (!known) {
      out.push(problem('note', 'unknown-alert-description', 'Alert.description',
        `alert description ${code} is not in the TLS Alerts registry`, 'RFC 8446 §6', 1));
    }
    if (fragment.length > 2) {
      out.push(problem('warning', 'trailing-data', 'Alert',
        `${fragment.length - 2} bytes follow the 2-byte alert (TLS 1.3 forbids coalescing alerts in one record; before it, each further pair is another alert)`,
        'RFC 8446 §5.1', 2));
    }
    problems = out;
  }
  return { level, levelName: alertLevelName(level), code, description: alertDescription(code), problems };
}

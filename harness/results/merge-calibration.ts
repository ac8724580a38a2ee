/**
 * A calibration session's measurements merged into a workload's calibration file. A new
 * measurement replaces the earlier ones of the same assertion, scale and condition taken
 * on the same machine (CPU model and cores) and profile: re-running calibrate refreshes
 * this machine's figures and keeps another machine's (CI's, on another CPU). Sessions no
 * measurement refers to any more are dropped.
 */
import { CALIBRATION_SCHEMA_VERSION, scaleKeyOf, type CalibrationFile, type CalibrationMeasurement, type CalibrationSession } from './calibration-file.ts';

/** One measured assertion at one scale and condition, with the session (machine, server, date, command) that measured it. */
export interface NewMeasurement {
  id: string;
  kind: 'comparison' | 'load-ratio';
  file: string;
  scale: number;
  session: CalibrationSession;
  measurement: Omit<CalibrationMeasurement, 'session'>;
}

const sameMachine = (a: CalibrationSession, b: CalibrationSession) => a.machine.cpuModel === b.machine.cpuModel && a.machine.cores === b.machine.cores && a.profile === b.profile;

export function mergeCalibration(existing: CalibrationFile | undefined, workload: string, measured: NewMeasurement[]): CalibrationFile {
  const before = existing ?? { schemaVersion: CALIBRATION_SCHEMA_VERSION, workload, sessions: [], assertions: {} };
  const replaced = (id: string, scale: string, m: CalibrationMeasurement) =>
    measured.some((n) => n.id === id && scaleKeyOf(n.scale) === scale && n.measurement.provider === m.provider && n.measurement.load === m.load && sameMachine(before.sessions[m.session]!, n.session));

  // Keep what this session does not replace, then renumber the sessions still referred to.
  const kept: { id: string; kind: NewMeasurement['kind']; file: string; scale: string; m: CalibrationMeasurement; session: CalibrationSession }[] = [];
  for (const [id, assertion] of Object.entries(before.assertions)) {
    for (const [scale, ms] of Object.entries(assertion.scales)) {
      for (const m of ms) if (!replaced(id, scale, m)) kept.push({ id, kind: assertion.kind, file: assertion.file, scale, m, session: before.sessions[m.session]! });
    }
  }
  const sessions: CalibrationSession[] = [];
  const indexOf = (s: CalibrationSession) => {
    const i = sessions.findIndex((t) => JSON.stringify(t) === JSON.stringify(s));
    return i >= 0 ? i : sessions.push(s) - 1;
  };
  const assertions: CalibrationFile['assertions'] = {};
  const add = (id: string, kind: NewMeasurement['kind'], file: string, scale: string, m: CalibrationMeasurement) => {
    const a = (assertions[id] ??= { kind, file, scales: {} });
    // The newest session names the file (a case moved to another file).
    a.file = file;
    (a.scales[scale] ??= []).push(m);
  };
  for (const k of kept) add(k.id, k.kind, k.file, k.scale, { ...k.m, session: indexOf(k.session) });
  for (const n of measured) add(n.id, n.kind, n.file, scaleKeyOf(n.scale), { ...n.measurement, session: indexOf(n.session) });
  return { schemaVersion: CALIBRATION_SCHEMA_VERSION, workload, sessions, assertions };
}

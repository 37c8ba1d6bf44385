export {
  QualityMonitor,
  type QualityEvents,
  type QualitySource,
  type QualityMonitorOptions,
} from './quality-monitor.js';
export { gradeQuality, THRESHOLDS, type GradeInput } from './grade.js';
export { readStats, type StatsCounters, type StatsReading } from './stats-reader.js';
export { describeQuality, formatBitrate } from './describe.js';
export type {
  PeerQuality,
  PathFigures,
  QualityGrade,
  QualityIssue,
  MediaPath,
  VideoFlow,
} from './types.js';

// The meet feature's public surface: other features import from here only.
export { registerMeet, type MeetFeature, type MeetOptions } from './meet-service.js';
export {
  InMemoryMeetDirectory,
  type MeetDirectory,
  type MeetPerson,
  type MeetMatchRecord,
} from './meet-directory.js';
export { MeetStore, type MeetReport } from './report-store.js';

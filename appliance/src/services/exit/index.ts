// The exit request and legal holds (issue 10).
export { Exits, type HeldExit } from './exits.js';
export { Holds, holdView } from './holds.js';

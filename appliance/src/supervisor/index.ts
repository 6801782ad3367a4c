export { Supervisor, type SupervisorOptions, type ServiceSettings } from './supervisor.js';
export { SupervisedChild, type ChildSpec, type ChildTiming } from './child.js';
export { overall, type ChildStatus, type ComponentHealth, type HealthReport } from './health.js';
export { locateHaraka } from './locate.js';
export { restartDelay } from './backoff.js';
export { smtpBanner } from './probes.js';

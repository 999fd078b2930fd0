export { type PodActivitySources, PodActivity, type PodBreakerState } from './activity/pod-activity.service';
export { type LeasedJob, LeasedJobsService } from './jobs/leased-jobs.service';
export { APP_VERSION, PodIdentity } from './pod-identity';
export {
  RUNTIME_SETTINGS_SCOPE,
  type RuntimeSettingSource,
  RuntimeSettingsService,
} from './settings/runtime-settings.service';

// Core's diff setup: the shared differ (src-main/shared/differ.ts), which the renderer's diff worker uses too.
export { differ, diffValues, summarizeDelta } from '../../shared/differ';

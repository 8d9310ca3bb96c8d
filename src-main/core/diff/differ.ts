// Core's diff setup: the shared differ (src-main/shared/differ.ts), which the renderer's diff worker uses too.
export { differ, diffValues, diffWithNotes, summarizeDelta } from '../../shared/differ';

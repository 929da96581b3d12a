/** The recording feature's words (see call-features/recording.ts). Keys start with `recording.`. */
import type { FragmentOf } from '../fragment.js';

export const recordingEn = {
  'recording.record': 'Record',
  'recording.stop': 'Stop recording and download',
  'recording.stopping': 'Finishing the recording…',
  'recording.unavailable': 'This browser cannot record',
  'recording.menu': 'What to record',
  'recording.self': 'My camera and microphone',
  'recording.call': 'Whole call',
  'recording.badge': 'REC',
  'recording.badgeTitle': 'Recording this call',
  'recording.you': 'You are recording',
  'recording.others': { one: '{names} is recording this call', other: '{names} are recording this call' },
  'recording.saved': 'Recording saved: {file}',
  'recording.failed': 'The recording failed: {problem}',
  'recording.unsupported': 'This browser cannot record this call.',
} as const;

export const recordingZh: FragmentOf<typeof recordingEn> = {
  'recording.record': '录制',
  'recording.stop': '停止录制并下载',
  'recording.stopping': '正在完成录制…',
  'recording.unavailable': '此浏览器无法录制',
  'recording.menu': '录制内容',
  'recording.self': '我的摄像头和麦克风',
  'recording.call': '整个通话',
  'recording.badge': '录制中',
  'recording.badgeTitle': '正在录制此通话',
  'recording.you': '你正在录制',
  'recording.others': { other: '{names} 正在录制此通话' },
  'recording.saved': '录制已保存：{file}',
  'recording.failed': '录制失败：{problem}',
  'recording.unsupported': '此浏览器无法录制此通话。',
};

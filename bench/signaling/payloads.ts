/**
 * Message bodies as browsers produce them: session descriptions of a one-audio, one-video call (about
 * 4 KB, the size Chromium's offers reach with its codec list) and trickled ICE candidates (about 250 bytes
 * on the wire). Fixed strings: the load sends the same bytes again and again.
 */

const VIDEO_CODECS: Array<[number, string]> = [
  [96, 'VP8/90000'],
  [97, 'rtx/90000'],
  [98, 'VP9/90000'],
  [99, 'rtx/90000'],
  [100, 'VP9/90000'],
  [101, 'rtx/90000'],
  [102, 'H264/90000'],
  [103, 'rtx/90000'],
  [104, 'H264/90000'],
  [105, 'rtx/90000'],
  [106, 'AV1/90000'],
  [107, 'rtx/90000'],
];

function mediaSection(kind: 'audio' | 'video', mid: number, role: 'actpass' | 'active'): string[] {
  const payloads = kind === 'audio' ? [111, 63, 9, 0, 8, 13, 110, 126] : VIDEO_CODECS.map(([pt]) => pt);
  const lines = [
    `m=${kind} 9 UDP/TLS/RTP/SAVPF ${payloads.join(' ')}`,
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:Zq3v',
    'a=ice-pwd:8Ff6bYkqq6mFnU2QyPZCj1Xa',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 5B:1A:9C:3E:77:0D:2F:84:61:C8:AE:49:10:B2:5D:F3:06:9A:7E:C1:23:D4:88:FE:3B:6A:51:0C:97:E2:4F:18',
    `a=setup:${role}`,
    `a=mid:${mid}`,
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:4c1f0a6e-5b7d-4d0e-9a2b-7f3c8e1d6a90 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    'a=rtcp-mux',
  ];
  if (kind === 'audio') {
    lines.push('a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'a=fmtp:111 minptime=10;useinbandfec=1');
    lines.push('a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111', 'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000');
    lines.push('a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:110 telephone-event/48000');
    lines.push('a=rtpmap:126 telephone-event/8000', 'a=ssrc:3735928559 cname:bXkgY25hbWUgaXMgYmVuY2g');
    return lines;
  }
  lines.push('a=rtcp-rsize');
  for (const [pt, codec] of VIDEO_CODECS) {
    lines.push(`a=rtpmap:${pt} ${codec}`);
    if (codec.startsWith('rtx')) {
      lines.push(`a=fmtp:${pt} apt=${pt - 1}`);
    } else {
      lines.push(`a=rtcp-fb:${pt} goog-remb`, `a=rtcp-fb:${pt} transport-cc`, `a=rtcp-fb:${pt} ccm fir`);
      lines.push(`a=rtcp-fb:${pt} nack`, `a=rtcp-fb:${pt} nack pli`);
    }
    if (codec.startsWith('H264')) {
      lines.push(`a=fmtp:${pt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f`);
    }
  }
  lines.push('a=ssrc-group:FID 2882400001 2882400002', 'a=ssrc:2882400001 cname:bXkgY25hbWUgaXMgYmVuY2g');
  lines.push('a=ssrc:2882400002 cname:bXkgY25hbWUgaXMgYmVuY2g');
  return lines;
}

function sdp(role: 'actpass' | 'active'): string {
  const head = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1'];
  head.push('a=extmap-allow-mixed', 'a=msid-semantic: WMS 4c1f0a6e-5b7d-4d0e-9a2b-7f3c8e1d6a90');
  return [...head, ...mediaSection('audio', 0, role), ...mediaSection('video', 1, role)].join('\r\n') + '\r\n';
}

export const OFFER_SDP = sdp('actpass');
export const ANSWER_SDP = sdp('active');

/** RTCIceCandidateInit of a server-reflexive candidate, as a browser trickles it. */
export const CANDIDATE = {
  candidate:
    'candidate:842163049 1 udp 1677729535 203.0.113.7 51234 typ srflx raddr 10.0.0.5 rport 51234 generation 0 ufrag Zq3v network-cost 999',
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'Zq3v',
};

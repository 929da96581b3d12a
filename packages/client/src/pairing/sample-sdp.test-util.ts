/** Descriptions Chromium 156 gathered to completion with no ICE servers: a data channel only, two host candidates. */

export const SAMPLE_OFFER = [
  'v=0',
  'o=- 7131739799221385742 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=candidate:3831898067 1 udp 2113937151 adf68a6b-28f6-4398-b65e-093247120fce.local 51522 typ host generation 0 network-cost 999',
  'a=candidate:3809768291 1 udp 2113942271 6b0121cc-717a-4ef1-aa85-b522b40e9c93.local 32852 typ host generation 0 network-cost 999',
  'a=ice-ufrag:Vfwq',
  'a=ice-pwd:wctfNpS3niY7Abj7sMr8WTtc',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 58:B1:FE:12:73:9C:38:B5:95:F3:CD:71:05:E5:BE:81:32:08:BF:C3:6C:F2:0D:71:51:43:AC:C1:80:23:11:6E',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');

export const SAMPLE_ANSWER = SAMPLE_OFFER.replace('a=setup:actpass', 'a=setup:active')
  .replace('Vfwq', '6MI2')
  .replace('wctfNpS3niY7Abj7sMr8WTtc', 'qem/4pyvFrvCnAe12sSQPlaj');

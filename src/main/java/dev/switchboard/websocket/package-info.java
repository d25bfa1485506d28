/**
 * The pure RFC 6455 layer: opening handshake validation, the server-side frame decoder (client
 * frames in, messages out) and the frame encoder (server frames out), with permessage-deflate
 * (RFC 7692: {@link dev.switchboard.websocket.PerMessageDeflate},
 * {@link dev.switchboard.websocket.MessageDeflater}). Bytes and request models in, events and
 * bytes out; nothing here touches sockets, threads or clocks.
 *
 * <p>Section anchors cited in the code (all in RFC 6455):
 *
 * <table>
 *   <caption>RFC 6455 sections</caption>
 *   <tr><td>§1.3</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-1.3 (accept-key example)</td></tr>
 *   <tr><td>§4.2.1</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-4.2.1 (reading the client's handshake)</td></tr>
 *   <tr><td>§4.2.2</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2 (sending the server's handshake)</td></tr>
 *   <tr><td>§5.1</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.1 (masking direction)</td></tr>
 *   <tr><td>§5.2</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.2 (base framing protocol)</td></tr>
 *   <tr><td>§5.3</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.3 (client-to-server masking)</td></tr>
 *   <tr><td>§5.4</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.4 (fragmentation)</td></tr>
 *   <tr><td>§5.5</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.5 (control frames, §5.5.1 close)</td></tr>
 *   <tr><td>§5.6</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.6 (data frames)</td></tr>
 *   <tr><td>§5.7</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-5.7 (example frames)</td></tr>
 *   <tr><td>§7.4.1</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1 (defined status codes)</td></tr>
 *   <tr><td>§7.4.2</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-7.4.2 (reserved status code ranges)</td></tr>
 *   <tr><td>§8.1</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-8.1 (invalid UTF-8 in text)</td></tr>
 *   <tr><td>§10.4</td><td>https://www.rfc-editor.org/rfc/rfc6455#section-10.4 (implementation-specific limits)</td></tr>
 * </table>
 *
 * <p>RFC 7692 (https://www.rfc-editor.org/rfc/rfc7692): §5 extension negotiation, §6 framing (the
 * RSV1 "Per-Message Compressed" bit), §7.1 the permessage-deflate parameters, §7.2.1 compression,
 * §7.2.2 decompression, §7.2.3 examples.
 *
 * <p>Design notes and the reasons for our own frame codec: {@code spec-notes/websocket.md}.
 */
package dev.switchboard.websocket;

/**
 * Pure Socket.IO protocol v5 codec: strings and byte arrays in, {@link
 * dev.switchboard.socketio.protocol.SocketIoPacket}s out, and back. No sockets, threads or clocks.
 *
 * <p>Wire format of one packet (socket.io-protocol §Format), carried in one Engine.IO
 * {@code message} packet, followed by its binary attachments, each in its own Engine.IO message:
 *
 * <pre>
 * &lt;packet type&gt;[&lt;# of binary attachments&gt;-][&lt;namespace&gt;,][&lt;acknowledgment id&gt;][JSON payload]
 *
 *   packet type   one digit 0..6                        SocketIoPacketType
 *   attachments   decimal count then '-'                only for BINARY_EVENT (5) / BINARY_ACK (6)
 *   namespace     starts with '/', ends at the first ','  omitted when it is "/"
 *   ack id        decimal digits                        EVENT/ACK and their binary forms only
 *   payload       JSON; binary values replaced by {"_placeholder":true,"num":N}
 *
 *   51-["baz",{"_placeholder":true,"num":0}]  + &lt;01 02 03 04&gt;
 * </pre>
 *
 * <p>Entry points: {@link dev.switchboard.socketio.protocol.SocketIoEncoder#encode} and one
 * {@link dev.switchboard.socketio.protocol.SocketIoDecoder} per Engine.IO connection, configured by
 * {@link dev.switchboard.socketio.protocol.SocketIoLimits}. Every peer error is a {@link
 * dev.switchboard.socketio.protocol.SocketIoProtocolException}, after which the connection closes.
 *
 * <p>That is the default parser. {@link dev.switchboard.socketio.protocol.SocketIoParser} picks
 * it or {@link dev.switchboard.socketio.protocol.MsgpackParser} (socket.io-msgpack-parser: one
 * MessagePack map per packet in one binary message); both decode into the same {@link
 * dev.switchboard.socketio.protocol.SocketIoPacket}s under the same limits.
 *
 * <p>Spec sections cited in this package:
 *
 * <table>
 *   <caption>References</caption>
 *   <tr><td>socket.io-protocol §Exchange protocol</td>
 *       <td>https://github.com/socketio/socket.io-protocol#exchange-protocol</td></tr>
 *   <tr><td>§Connection to a namespace</td>
 *       <td>https://github.com/socketio/socket.io-protocol#connection-to-a-namespace</td></tr>
 *   <tr><td>§Sending and receiving data</td>
 *       <td>https://github.com/socketio/socket.io-protocol#sending-and-receiving-data</td></tr>
 *   <tr><td>§Acknowledgement</td>
 *       <td>https://github.com/socketio/socket.io-protocol#acknowledgement</td></tr>
 *   <tr><td>§Disconnection from a namespace</td>
 *       <td>https://github.com/socketio/socket.io-protocol#disconnection-from-a-namespace</td></tr>
 *   <tr><td>§Packet encoding / §Format / §Examples</td>
 *       <td>https://github.com/socketio/socket.io-protocol#packet-encoding</td></tr>
 *   <tr><td>socket.io-parser lib/index.ts (4.2.x): decodeString, isPayloadValid,
 *       RESERVED_EVENTS, maxAttachments</td>
 *       <td>https://github.com/socketio/socket.io/tree/main/packages/socket.io-parser</td></tr>
 *   <tr><td>socket.io-parser lib/binary.ts: deconstructPacket / reconstructPacket</td>
 *       <td>same package</td></tr>
 *   <tr><td>hostile-inputs.md#D82 to hostile-inputs.md#E113</td><td>spec-notes/hostile-inputs.md groups D and E</td></tr>
 * </table>
 */
package dev.switchboard.socketio.protocol;

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ByteCount</name>
    <message numerus="yes">
        <location filename="../app/util/bytecount.h" line="+20"/>
        <location line="+5"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <location line="-5"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/profileeditor.ui" line="+6"/>
        <source>Profile</source>
        <translation>连接配置</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>My server</source>
        <translation>我的服务器</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;URL:</source>
        <translation>URL(&amp;U)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>wss://example.com/socket</source>
        <translation>wss://example.com/socket</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Headers:</source>
        <translation>请求标头：</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Secret</source>
        <translation>保密</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add a header</source>
        <translation>添加标头</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove the selected header</source>
        <translation>移除所选标头</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send this header earlier</source>
        <translation>提前发送此标头</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send this header later</source>
        <translation>延后发送此标头</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Sub&amp;protocols:</source>
        <translation>子协议(&amp;P)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>chat.v2, chat.v1 (in order of preference)</source>
        <translation>chat.v2, chat.v1（按优先顺序）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Origin:</source>
        <translation>Origin(&amp;O)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>https://example.com (empty: no Origin header)</source>
        <translation>https://example.com（留空：不发送 Origin 标头）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Handshake &amp;timeout:</source>
        <translation>握手超时(&amp;T)：</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+262"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="-239"/>
        <source>&amp;Resolve:</source>
        <translation>解析(&amp;R)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>HOST:PORT:ADDRESS, … (connect to ADDRESS; URL, Host, SNI and certificate keep HOST)</source>
        <translation>主机:端口:地址, …（连接到该地址；URL、Host、SNI 和证书仍用主机名）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Like curl&apos;s --resolve: test a server before its DNS record exists</source>
        <translation>与 curl 的 --resolve 相同：在 DNS 记录生效之前测试服务器</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>For a &amp;mini program (wx.connectSocket): show the platform&apos;s rules</source>
        <translation>用于小程序(&amp;M)（wx.connectSocket）：显示平台规则</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>TCP no-delay</source>
        <translation>TCP 无延迟（no-delay）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send small messages at once instead of batching them (Nagle off)</source>
        <translation>立即发送小消息，不合并成批（关闭 Nagle 算法）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Per-message deflate (permessage-deflate, RFC 7692)</source>
        <translation>permessage-deflate 压缩扩展（RFC 7692）</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Client window:</source>
        <translation>客户端窗口：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>client_max_window_bits: the largest LZ77 window this client compresses with (2^8 to 2^15 bytes)</source>
        <translation>client_max_window_bits：本客户端压缩时使用的最大 LZ77 窗口（2^8 到 2^15 字节）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server window:</source>
        <translation>服务器窗口：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>server_max_window_bits: the largest LZ77 window the server may compress with</source>
        <translation>server_max_window_bits：服务器压缩时可以使用的最大 LZ77 窗口</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Client resets its compression context after each message</source>
        <translation>客户端在每条消息之后重置压缩上下文</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>client_no_context_takeover</source>
        <translation>client_no_context_takeover</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ask the server to reset its compression context after each message</source>
        <translation>要求服务器在每条消息之后重置压缩上下文</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>server_no_context_takeover</source>
        <translation>server_no_context_takeover</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compress outgoing messages</source>
        <translation>压缩发出的消息</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Reconnect automatically</source>
        <translation>自动重连</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>After the connection drops, reconnect with growing pauses (capped); stops when you close it yourself</source>
        <translation>连接断开后自动重连，重试间隔逐渐增大（有上限）；您主动关闭连接时不再重连</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Keep-alive ping:</source>
        <translation>心跳 Ping(&amp;K)：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Max incoming message:</source>
        <translation>接收消息上限(&amp;M)：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Lenient: keep a connection that breaks RFC 6455 open</source>
        <translation>宽松模式(&amp;L)：违反 RFC 6455 时保持连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off (strict): a server that breaks a rule RFC 6455 says a client must fail on is disconnected with 1002 or 1007 and the rule is named. On: the connection stays open and violations are only flagged, for debugging a broken server on purpose</source>
        <translation>关闭（严格）：服务器违反 RFC 6455 要求客户端必须断开的规则时，以 1002 或 1007 断开连接并指明该规则。开启：连接保持打开，只标记违规，用于有意调试有问题的服务器</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Verify the server certificate</source>
        <translation>验证服务器证书</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>C&amp;A file:</source>
        <translation>CA 文件(&amp;A)：</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Client ce&amp;rtificate:</source>
        <translation>客户端证书(&amp;R)：</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Extra trusted CA certificates (PEM)</source>
        <translation>额外信任的 CA 证书（PEM）</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+44"/>
        <location line="+44"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="-85"/>
        <location line="+44"/>
        <location line="+44"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>PEM</source>
        <translation>PEM</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Private &amp;key:</source>
        <translation>私钥(&amp;K)：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>PEM (empty: the certificate file holds the key)</source>
        <translation>PEM（留空：私钥包含在证书文件中）</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Key &amp;passphrase:</source>
        <translation>私钥口令(&amp;P)：</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>P&amp;roxy:</source>
        <translation>代理(&amp;R)：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>None (direct)</source>
        <translation>无（直连）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>System proxy</source>
        <translation>系统代理</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>SOCKS5</source>
        <translation>SOCKS5</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>proxy.example.com</source>
        <translation>proxy.example.com</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>&amp;User:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Show secrets</source>
        <translation>显示机密信息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/server/builtinserver.cpp" line="+46"/>
        <source>Unknown built-in server &quot;%1&quot;: use builtin:echo, builtin:chat or builtin:push.</source>
        <translation>未知的内置服务器“%1”：请使用 builtin:echo、builtin:chat 或 builtin:push。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The built-in server could not listen on 127.0.0.1: %1</source>
        <translation>内置服务器无法在 127.0.0.1 上监听：%1</translation>
    </message>
    <message>
        <location filename="../app/log/logfilter.cpp" line="+63"/>
        <source>Invalid regular expression at position %1: %2</source>
        <translation>正则表达式在位置 %1 处无效：%2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="+158"/>
        <source>%1: no such file.</source>
        <translation>%1：文件不存在。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>wsinspector: no display (DISPLAY and WAYLAND_DISPLAY are unset): running the terminal front end.</source>
        <translation>wsinspector：没有图形显示环境（DISPLAY 和 WAYLAND_DISPLAY 均未设置），改用终端界面运行。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>WebSocket Inspector</source>
        <translation>WebSocket Inspector</translation>
    </message>
</context>
<context>
    <name>wsi::AcceptDerivation</name>
    <message>
        <location filename="../app/teach/acceptderivation.cpp" line="+19"/>
        <source>The key is empty.</source>
        <translation>Sec-WebSocket-Key 为空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The key is not valid base64.</source>
        <translation>Sec-WebSocket-Key 不是有效的 base64。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>The key decodes to %n byte(s); RFC 6455 §4.1 asks for 16 random bytes.</source>
        <translation>
            <numerusform>Sec-WebSocket-Key 解码后是 %n 个字节；RFC 6455 §4.1 要求 16 个随机字节。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>1. Sec-WebSocket-Key sent by the client:  %1</source>
        <translation>1. 客户端发送的 Sec-WebSocket-Key：    %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>   (base64 of 16 random bytes: %1)</source>
        <translation>   （解码后是 16 个随机字节：%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>   Note: %1</source>
        <translation>   注意：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2. The fixed GUID from RFC 6455:          %1</source>
        <translation>2. RFC 6455 规定的固定 GUID：          %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3. Key + GUID (the text that is hashed):  %1</source>
        <translation>3. Key + GUID（参与哈希的文本）：      %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>4. SHA-1 of that text, in hex:            %1</source>
        <translation>4. 该文本的 SHA-1（十六进制）：        %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>5. Those 20 bytes in base64:              %1</source>
        <translation>5. 这 20 个字节的 base64 编码：        %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>=&gt; The server must answer Sec-WebSocket-Accept: %1</source>
        <translation>=&gt; 服务器必须回应 Sec-WebSocket-Accept: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✗ The server sent no Sec-WebSocket-Accept, so a client must fail the connection.</source>
        <translation>✗ 服务器没有发送 Sec-WebSocket-Accept，因此客户端必须使连接失败。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ The server sent %1: it matches.</source>
        <translation>✓ 服务器发送的是 %1：与计算结果一致。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✗ The server sent %1: it does not match, so a client must fail the connection.</source>
        <translation>✗ 服务器发送的是 %1：与计算结果不一致，因此客户端必须使连接失败。</translation>
    </message>
</context>
<context>
    <name>wsi::ActionRunner</name>
    <message>
        <location filename="../app/send/actionrunner.cpp" line="+109"/>
        <source>No session: nothing was sent.</source>
        <translation>没有会话：未发送任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting is only possible in a list of actions.</source>
        <translation>只有在动作列表中才能等待。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A frame size must be from 0 to %1 bytes, not %2.</source>
        <translation>帧大小必须在 0 到 %1 字节之间，不能是 %2。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+155"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Unknown action.</source>
        <translation>未知的动作。</translation>
    </message>
    <message numerus="yes">
        <location line="+40"/>
        <source>The connection closed: %n action(s) were not carried out.</source>
        <translation>
            <numerusform>连接已关闭：有 %n 个动作未执行。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::CaptureCommands</name>
    <message>
        <location filename="../app/cli/capturecommands.cpp" line="+47"/>
        <source>--convert takes exactly two files: wsinspector --convert IN OUT (for example capture.jsonl capture.har).</source>
        <translation>--convert 正好需要两个文件：wsinspector --convert 输入 输出（例如 capture.jsonl capture.har）。</translation>
    </message>
    <message numerus="yes">
        <location line="+36"/>
        <source>%1 → %2: %n connection(s)</source>
        <translation>
            <numerusform>%1 → %2：%n 个连接</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location line="+32"/>
        <source>--replay needs a capture or HAR file.</source>
        <translation>--replay 需要一个捕获文件或 HAR 文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--speed needs a factor, e.g. 2 (twice as fast as recorded) or max.</source>
        <translation>--speed 需要一个倍数，例如 2（按录制速度的两倍）或 max。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--speed &quot;%1&quot; is not a factor between 0 and 1000, or max.</source>
        <translation>--speed “%1”不是 0 到 1000 之间的倍数，也不是 max。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--ignore needs a JSON pointer, e.g. /timestamp or /items/*/id.</source>
        <translation>--ignore 需要一个 JSON 指针，例如 /timestamp 或 /items/*/id。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--ignore-regex needs a regular expression.</source>
        <translation>--ignore-regex 需要一个正则表达式。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--connection needs a number.</source>
        <translation>--connection 需要一个编号。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--connection &quot;%1&quot; is not a connection number (1, 2, …).</source>
        <translation>--connection “%1”不是连接编号（1、2、…）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--timeout needs milliseconds.</source>
        <translation>--timeout 需要毫秒数。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>--timeout &quot;%1&quot; is not between 100 and 600000 ms.</source>
        <translation>--timeout “%1”不在 100 到 600000 ms 之间。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unknown argument &quot;%1&quot; for --replay. Usage: wsinspector --cli --replay FILE [URL] [--speed X|max] [--ignore POINTER]… [--ignore-regex RE]… [--connection N] [--timeout MS]</source>
        <translation>--replay 的未知参数“%1”。用法：wsinspector --cli --replay FILE [URL] [--speed X|max] [--ignore POINTER]… [--ignore-regex RE]… [--connection N] [--timeout MS]</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 has no connection %2.</source>
        <translation>%1 中没有连接 %2。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%1 holds %n connection(s); replaying the first (choose with --connection N).</source>
        <translation>
            <numerusform>%1 中有 %n 个连接；将重放第一个（用 --connection N 选择）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Connection %1 of %2 has no message to replay.</source>
        <translation>%2 的连接 %1 中没有可重放的消息。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Replaying %n message(s)</source>
        <translation>
            <numerusform>正在重放 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Answer %1:</source>
        <translation>应答 %1：</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>All %n answer(s) match the recording.</source>
        <translation>
            <numerusform>全部 %n 条应答与录制一致。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n answer(s) differ from the recording</source>
        <translation>
            <numerusform>%n 条应答与录制不同</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> (%n compared).</source>
        <translation>
            <numerusform>（共比较 %n 条）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::CaptureDocuments</name>
    <message>
        <location filename="../ui/capture/capturedocuments.cpp" line="+85"/>
        <source>&amp;Open capture or HAR…</source>
        <translation>打开捕获文件或 HAR(&amp;O)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open capture or HAR file</source>
        <translation>打开捕获文件或 HAR 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captures and HAR files (*.jsonl *.har);;All files (*)</source>
        <translation>捕获文件和 HAR 文件 (*.jsonl *.har);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;selected rows…</source>
        <translation>导出选中的行(&amp;S)…</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+9"/>
        <source>Select the rows to export first.</source>
        <translation>请先选择要导出的行。</translation>
    </message>
    <message>
        <location line="-9"/>
        <location line="+9"/>
        <source>Nothing to export in this tab.</source>
        <translation>此标签页中没有可导出的内容。</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+8"/>
        <location line="+7"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>HAR 1.2 (*.har)</source>
        <translation>HAR 1.2 (*.har)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capture, JSON Lines (*.jsonl)</source>
        <translation>捕获文件，JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plain text (*.txt)</source>
        <translation>纯文本 (*.txt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export selected rows</source>
        <translation>导出选中的行</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>wsi::CaptureExport</name>
    <message>
        <location filename="../app/capture/captureexport.cpp" line="+45"/>
        <source>Cannot tell the format of %1 from its extension: use .har, .jsonl or .txt.</source>
        <translation>无法从扩展名判断 %1 的格式：请使用 .har、.jsonl 或 .txt。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+6"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cannot write the capture: %1</source>
        <translation>无法写入捕获文件：%1</translation>
    </message>
    <message>
        <location line="+99"/>
        <source># Connection %1: %2</source>
        <translation># 连接 %1：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+6"/>
        <source>Cannot write the text: %1</source>
        <translation>无法写入文本：%1</translation>
    </message>
</context>
<context>
    <name>wsi::CaptureFileReader</name>
    <message>
        <location filename="../app/capture/capturefilereader.cpp" line="+18"/>
        <source>Cannot open %1: it is a folder.</source>
        <translation>无法打开 %1：这是一个文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is neither a WebSocket Inspector capture (JSON Lines: one {&quot;time&quot;, &quot;event&quot;, …} object per line) nor a HAR file (JSON with &quot;log&quot;: {&quot;entries&quot;: […]}).</source>
        <translation>%1 既不是 WebSocket Inspector 捕获文件（JSON Lines：每行一个 {&quot;time&quot;, &quot;event&quot;, …} 对象），也不是 HAR 文件（含 &quot;log&quot;: {&quot;entries&quot;: […]} 的 JSON）。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>%1 holds no connection.</source>
        <translation>%1 中没有任何连接。</translation>
    </message>
</context>
<context>
    <name>wsi::CaptureView</name>
    <message>
        <location filename="../ui/capture/captureview.cpp" line="+35"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replay…</source>
        <translation>重放…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Stop reading the file; what was read stays open</source>
        <translation>停止读取文件；已读取的内容保持打开</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send the client&apos;s messages again and compare the server&apos;s answers</source>
        <translation>重新发送客户端的消息，并比较服务器的应答</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Whole file…</source>
        <translation>整个文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selected rows…</source>
        <translation>选中的行…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(no URL)</source>
        <translation>（无 URL）</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Reading was cancelled: the rows read so far are shown.</source>
        <translation>已取消读取：显示目前已读取的行。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>… and %n more (see the tooltip).</source>
        <translation>
            <numerusform>……还有 %n 条（见工具提示）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::CaptureWriter</name>
    <message>
        <location filename="../app/capture/capturewriter.cpp" line="+57"/>
        <source>Recording stopped: cannot write the capture file %1: %2</source>
        <translation>录制已停止：无法写入捕获文件 %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Cannot write the capture file %1: %2</source>
        <translation>无法写入捕获文件 %1：%2</translation>
    </message>
</context>
<context>
    <name>wsi::ChatRoom</name>
    <message numerus="yes">
        <location filename="../app/server/chatroom.cpp" line="+50"/>
        <source>Usage: /name NEW_NAME (up to %n characters)</source>
        <translation>
            <numerusform>用法：/name 新名字（最多 %n 个字符）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ClassroomDocks</name>
    <message>
        <location filename="../ui/server/classroomdocks.cpp" line="+20"/>
        <source>Classroom server</source>
        <translation>课堂服务器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Push versus polling</source>
        <translation>推送与轮询对比</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Classroom server</source>
        <translation>课堂服务器(&amp;C)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Push &amp;versus polling</source>
        <translation>推送与轮询对比(&amp;V)</translation>
    </message>
</context>
<context>
    <name>wsi::ClassroomServer</name>
    <message>
        <location filename="../app/server/classroomserver.cpp" line="+99"/>
        <source>Listening on %1 lets every machine on the network reach the server: choose it explicitly (All interfaces, or one interface).</source>
        <translation>在 %1 上监听会让网络上的每台机器都能访问服务器：请明确选择（所有网络接口，或某一个接口）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Port %1 on %2 is already in use (another program, or another server of this window): choose another port.</source>
        <translation>%2 上的端口 %1 已被占用（另一个程序，或本窗口的另一个服务器）：请换一个端口。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server could not listen on %1 port %2: %3</source>
        <translation>服务器无法在 %1 的端口 %2 上监听：%3</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>The request head is larger than %1 bytes.</source>
        <translation>请求头超过 %1 字节。</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>This server only answers GET requests (got %1).</source>
        <translation>此服务器只响应 GET 请求（收到的是 %1）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A GET request must not have a body.</source>
        <translation>GET 请求不能带请求体。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; is not a path on this server.</source>
        <translation>“%1”不是此服务器上的路径。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 is a WebSocket endpoint: connect to it with ws://HOST:PORT%1 (the page at / does).</source>
        <translation>%1 是 WebSocket 端点：请用 ws://主机:端口%1 连接（/ 处的页面就是这样做的）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing at %1. This server has: / (the page), ws /echo, ws /chat, ws /push, GET /poll.</source>
        <translation>%1 处没有内容。此服务器提供：/（页面）、ws /echo、ws /chat、ws /push、GET /poll。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Too many event channels are open (%1 at most): reuse one or wait two minutes.</source>
        <translation>打开的事件通道太多（最多 %1 个）：请复用已有通道，或等待两分钟。</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+306"/>
        <source>channel must be 1 to 40 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>channel 必须是 1 到 40 个字母、数字、“.”、“_”或“-”。</translation>
    </message>
    <message>
        <location line="-285"/>
        <source>Too many long polls are waiting (%1 at most): poll without wait, or later.</source>
        <translation>等待中的长轮询太多（最多 %1 个）：请不带 wait 轮询，或稍后再试。</translation>
    </message>
    <message numerus="yes">
        <location line="+80"/>
        <source>The server is full (%n clients at most): try again later.</source>
        <translation>
            <numerusform>服务器已满（最多 %n 个客户端）：请稍后重试。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing at %1: use /echo, /chat or /push.</source>
        <translation>%1 处没有内容：请使用 /echo、/chat 或 /push。</translation>
    </message>
    <message numerus="yes">
        <location line="+70"/>
        <source>Too many messages: at most %n per second.</source>
        <translation>
            <numerusform>消息太多：每秒最多 %n 条。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Reading too slowly: more than %1 KiB are waiting.</source>
        <translation>读取太慢：有超过 %1 KiB 的数据在等待。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Disconnected by the teacher.</source>
        <translation>已被老师断开连接。</translation>
    </message>
</context>
<context>
    <name>wsi::CliFrontend</name>
    <message>
        <location filename="../app/cli/clifrontend.cpp" line="+119"/>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+65"/>
        <location line="+9"/>
        <location line="+54"/>
        <source>wsinspector: %1</source>
        <translation>wsinspector：%1</translation>
    </message>
    <message>
        <location line="-121"/>
        <source>wsinspector: warning: TLS certificate verification is off (-n); anyone in the middle can read and change this connection.</source>
        <translation>wsinspector：警告：TLS 证书验证已关闭（-n）；任何中间人都能读取和篡改此连接。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 %2, certificate %3%4</source>
        <translation>%1 %2，证书%3%4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verified</source>
        <translation>已通过验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT verified (%1)</source>
        <translation>未通过验证（%1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>: %1, SHA-256 %2</source>
        <translation>：%1，SHA-256 %2</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Interrupted.</source>
        <translation>已中断。</translation>
    </message>
</context>
<context>
    <name>wsi::CliOptions</name>
    <message>
        <location filename="../app/cli/clioptions.cpp" line="+59"/>
        <source>Connection:</source>
        <translation>连接：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add a handshake header (repeatable, order kept)</source>
        <translation>添加一个握手标头（可重复，保持顺序）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offer a subprotocol (repeatable)</source>
        <translation>提供一个子协议（可重复）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>set the Origin header</source>
        <translation>设置 Origin 标头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>handshake timeout (100-600000, default 10000)</source>
        <translation>握手超时，毫秒（100-600000，默认 10000）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>let the kernel batch small writes (Nagle)</source>
        <translation>允许内核合并小块写入（Nagle 算法）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>largest incoming message accepted (default 64 MiB)</source>
        <translation>接收消息的大小上限（默认 64 MiB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offer permessage-deflate (default: client_max_window_bits), e.g.
--deflate=&quot;server_max_window_bits=10; client_no_context_takeover&quot;</source>
        <translation>提供 permessage-deflate 压缩扩展（默认：client_max_window_bits），例如
--deflate=&quot;server_max_window_bits=10; client_no_context_takeover&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reconnect with backoff after the connection drops</source>
        <translation>连接断开后自动重连（逐次延长等待）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send a ping every MS milliseconds</source>
        <translation>每 MS 毫秒发送一次心跳 Ping</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keep a connection that breaks RFC 6455 open and only flag
the violations (default: fail it with 1002/1007)</source>
        <translation>违反 RFC 6455 时保持连接，只标出违规之处
（默认：以 1002/1007 关闭连接）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>http://[user:pass@]host:port or socks5://host:port</source>
        <translation>http://[用户名:密码@]主机:端口 或 socks5://主机:端口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connect to ADDR for HOST:PORT; URL, Host, SNI and the
certificate check keep HOST (repeatable, as in curl)</source>
        <translation>访问 HOST:PORT 时连接到 ADDR；URL、Host、SNI 和
证书验证仍使用 HOST（可重复，与 curl 相同）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>start from a saved profile (other options override it)</source>
        <translation>以已保存的连接配置为基础（其他选项优先）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS:</source>
        <translation>TLS：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accept an invalid certificate (a warning is printed)</source>
        <translation>接受无效证书（会打印警告）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>trust the CA certificates in FILE (PEM)</source>
        <translation>信任 FILE 中的 CA 证书（PEM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client certificate (PEM)</source>
        <translation>客户端证书（PEM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client private key (PEM)</source>
        <translation>客户端私钥（PEM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages, sent in the order given once the connection is open:</source>
        <translation>消息（连接打开后按给出的顺序发送）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send a text message; {{timestamp}} {{iso8601}} {{uuid}}
{{counter}} {{random:N}} are expanded when it is sent</source>
        <translation>发送一条文本消息；{{timestamp}} {{iso8601}} {{uuid}}
{{counter}} {{random:N}} 在发送时展开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>send a binary message given in hex</source>
        <translation>发送一条以十六进制给出的二进制消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send a binary message given in base64</source>
        <translation>发送一条以 base64 给出的二进制消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send a file as one binary message</source>
        <translation>把一个文件作为一条二进制消息发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send a ping (payload at most 125 bytes)</source>
        <translation>发送一个 Ping（负载最多 125 字节）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>close with that code and reason</source>
        <translation>以该关闭码和关闭原因关闭连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>split outgoing messages into frames of N bytes</source>
        <translation>把发出的消息拆分为每帧 N 字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>after the last message, wait this long and close with 1000
(without -w: stay until the server closes or Ctrl+C)</source>
        <translation>最后一条消息之后等待这么久，再以 1000 关闭
（不带 -w：一直保持，直到服务器关闭或按 Ctrl+C）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checks (connect once, print a report, send nothing):</source>
        <translation>检查（连接一次，打印报告，不发送任何消息）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>judge the URL and options by the WeChat mini-program rules
for wx.connectSocket (wss://, domain name, certificate and
whole chain, TLS 1.2+, forbidden headers, base library...)</source>
        <translation>按微信小程序 wx.connectSocket 的规则检查 URL 和选项
（wss://、域名、证书及完整证书链、TLS 1.2+、
禁止设置的标头、基础库版本……）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window (ignored by --cli):</source>
        <translation>窗口（--cli 时忽略）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open a separate window instead of a tab in the open one</source>
        <translation>打开一个单独的窗口，而不是在已打开的窗口中新建标签页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print both handshake heads and every frame header</source>
        <translation>打印双方的握手头部和每个帧头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>record every event to FILE (JSON Lines)</source>
        <translation>把每个事件录制到 FILE（JSON Lines）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show this help</source>
        <translation>显示本帮助</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show the version</source>
        <translation>显示版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Teaching (print and exit, nothing is sent):</source>
        <translation>教学（打印后退出，不发送任何内容）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client code for URL and the connection options above; LANG:
wx, browser, node-ws, node-websocket, python, qt, wscat,
websocat, cli, server-ws, server-websocket</source>
        <translation>按 URL 和上面的连接选项生成客户端代码；LANG：
wx, browser, node-ws, node-websocket, python, qt, wscat,
websocat, cli, server-ws, server-websocket</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>derive Sec-WebSocket-Accept from a Sec-WebSocket-Key, step by step</source>
        <translation>由 Sec-WebSocket-Key 逐步推导出 Sec-WebSocket-Accept</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>print a fresh Sec-WebSocket-Key (base64 of 16 random bytes)</source>
        <translation>打印一个新的 Sec-WebSocket-Key（16 个随机字节的 base64）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Classroom server (no window; Ctrl+C stops it):</source>
        <translation>课堂服务器（无窗口；按 Ctrl+C 停止）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>serve the page, /echo, /chat, /push and /poll on one port</source>
        <translation>在一个端口上提供页面、/echo、/chat、/push 和 /poll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>where (default 127.0.0.1:8080); 0.0.0.0:PORT = every interface</source>
        <translation>监听地址（默认 127.0.0.1:8080）；0.0.0.0:PORT = 所有网络接口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebSocket clients at once (default 200)</source>
        <translation>同时连接的 WebSocket 客户端上限（默认 200）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captures and HAR files:</source>
        <translation>捕获文件和 HAR 文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>convert by extension: .jsonl capture, .har (Chrome&apos;s shape), .txt</source>
        <translation>按扩展名转换：.jsonl 捕获文件、.har（Chrome 的格式）、.txt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send the client&apos;s recorded messages again (to URL, else the
recorded one) and compare the server&apos;s answers with the recording</source>
        <translation>重新发送录制的客户端消息（发往 URL，未给出时发往
录制时的地址），并把服务器的应答与录制内容比较</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>recorded timing X times faster, or as fast as possible
(default: each message after the previous answer)</source>
        <translation>按录制时的节奏加快 X 倍，或尽可能快
（默认：每条消息在上一条应答之后发送）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>leave out a JSON field (/id, /items/*/time); repeatable</source>
        <translation>比较时忽略一个 JSON 字段（/id、/items/*/time）；可重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blank what RE matches in strings before comparing; repeatable</source>
        <translation>比较前清空字符串中与 RE 匹配的部分；可重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>which connection of the file (default: the first)</source>
        <translation>使用文件中的哪个连接（默认：第一个）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>longest wait for an answer (default 3000)</source>
        <translation>等待应答的最长时间，毫秒（默认 3000）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Usage: wsinspector --cli URL [options]
       wsinspector [URL [options]]      (opens the window and connects)

While a window is open, wsinspector URL [options] opens a new tab in it.

URL is ws://, wss://, http(s):// (converted) or builtin:echo, builtin:chat, builtin:push.</source>
        <translation>用法：wsinspector --cli URL [选项]
      wsinspector [URL [选项]]      （打开窗口并连接）

已有窗口打开时，wsinspector URL [选项] 会在其中新建一个标签页。

URL 可以是 ws://、wss://、http(s)://（会被转换）或 builtin:echo、builtin:chat、builtin:push。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Exit status: 0 after a clean close (1000), 1 connection or protocol failure,
2 invalid arguments, 3 closed with another code, 4 (--replay) the answers differ.
With --check: 0 when no rule fails (warnings and &quot;cannot tell&quot; allowed), 1 when a rule
fails, 2 invalid arguments.</source>
        <translation>退出状态：0 正常关闭（1000），1 连接失败或协议错误，
2 参数无效，3 以其他关闭码关闭，4（--replay）应答不一致。
使用 --check 时：0 没有规则不通过（允许警告和“无法判断”），1 有规则
不通过，2 参数无效。</translation>
    </message>
</context>
<context>
    <name>wsi::CliParser</name>
    <message>
        <location line="+16"/>
        <source>--proxy &quot;%1&quot; is not a proxy URL: use http://host:port or socks5://host:port.</source>
        <translation>--proxy “%1”不是代理 URL：请使用 http://host:port 或 socks5://host:port。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>--proxy scheme &quot;%1&quot; is not supported: use http or socks5.</source>
        <translation>不支持 --proxy 的协议“%1”：请使用 http 或 socks5。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Option %1 needs a value.</source>
        <translation>选项 %1 需要一个值。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Option %1 expects a whole number from %2 to %3, not &quot;%4&quot;.</source>
        <translation>选项 %1 需要 %2 到 %3 之间的整数，而不是“%4”。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Unknown check &quot;%1&quot;: the only check is miniprogram.</source>
        <translation>未知的检查“%1”：目前只有 miniprogram 一种检查。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Header &quot;%1&quot; is not of the form &quot;Name: value&quot;.</source>
        <translation>标头“%1”不符合“Name: value”格式。</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>%1 file &quot;%2&quot; does not exist.</source>
        <translation>%1 文件“%2”不存在。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>&quot;%1&quot; is not a close code.</source>
        <translation>“%1”不是关闭码。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Option %1 expects a number of seconds, not &quot;%2&quot;.</source>
        <translation>选项 %1 需要秒数，而不是“%2”。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Unknown option %1 (see --help).</source>
        <translation>未知选项 %1（参见 --help）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unexpected argument &quot;%1&quot;: only one URL is allowed.</source>
        <translation>多余的参数“%1”：只允许一个 URL。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is a file, not an address: open a capture or HAR in the window with wsinspector %1, or replay it with wsinspector --cli --replay %1.</source>
        <translation>“%1”是文件，不是地址：在窗口中打开抓包文件或 HAR 请用 wsinspector %1，重放请用 wsinspector --cli --replay %1。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>--check %1 only connects and judges: it sends nothing, so leave out -x, --ping, --close and the other messages.</source>
        <translation>--check %1 只连接并判断，不发送任何内容：请去掉 -x、--ping、--close 等消息选项。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No URL given: wsinspector --cli URL [options] (try builtin:echo).</source>
        <translation>未指定 URL：wsinspector --cli URL [选项]（可试试 builtin:echo）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Unknown profile &quot;%1&quot;: available profiles are %2.</source>
        <translation>未知的连接配置“%1”：可用的配置有 %2。</translation>
    </message>
</context>
<context>
    <name>wsi::CloseCodes</name>
    <message>
        <location filename="../app/payload/closecodes.cpp" line="+10"/>
        <source>Normal Closure</source>
        <translation>正常关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Going Away</source>
        <translation>终端离开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Protocol Error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unsupported Data</source>
        <translation>不支持的数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No status code (the close frame had none)</source>
        <translation>无状态码（关闭帧中没有关闭码）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection dropped without a close frame</source>
        <translation>连接在没有关闭帧的情况下中断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invalid Frame Payload Data</source>
        <translation>帧负载数据无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Policy Violation</source>
        <translation>违反策略</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message Too Big</source>
        <translation>消息过大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mandatory Extension</source>
        <translation>缺少必需的扩展</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal Error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service Restart</source>
        <translation>服务重启</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try Again Later</source>
        <translation>稍后重试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bad Gateway</source>
        <translation>网关错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS Handshake</source>
        <translation>TLS 握手失败</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Application-defined</source>
        <translation>应用自定义</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Private use</source>
        <translation>私有用途</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>1005 no status code (the close frame had none)</source>
        <translation>1005 无状态码（关闭帧中没有关闭码）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1006 connection dropped without a close frame</source>
        <translation>1006 连接在没有关闭帧的情况下中断</translation>
    </message>
</context>
<context>
    <name>wsi::CodePanel</name>
    <message>
        <location filename="../ui/teach/codepanel.cpp" line="+25"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Copy the code to the clipboard</source>
        <translation>将代码复制到剪贴板</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>No code for these settings: %1</source>
        <translation>无法为这些设置生成代码：%1</translation>
    </message>
</context>
<context>
    <name>wsi::ConnectErrors</name>
    <message>
        <location filename="../app/wire/connecterrors.cpp" line="+50"/>
        <source>The connection to %1 was not made within %2 ms (the handshake timeout): the name lookup or the TCP connection attempt got no answer.</source>
        <translation>在 %2 ms 内（握手超时）未能建立到 %1 的连接：域名解析或 TCP 连接尝试没有得到应答。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 did not accept the TCP connection within %2 ms (the handshake timeout): nothing answered the connection attempt (a firewall that drops it, or a host that is down or overloaded).</source>
        <translation>%1 在 %2 ms 内（握手超时）没有接受 TCP 连接：连接尝试没有得到任何应答（可能是防火墙丢弃了它，或者主机已关闭或过载）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 accepted the TCP connection, but the TLS handshake did not finish within %2 ms (the handshake timeout): the port may not speak TLS, or the server stalls.</source>
        <translation>%1 接受了 TCP 连接，但 TLS 握手在 %2 ms 内（握手超时）没有完成：该端口可能不支持 TLS，或者服务器停滞了。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Connection refused by %1: nothing accepts connections on that port. Check the port number and that the server is running.</source>
        <translation>%1 拒绝了连接：该端口上没有程序接受连接。请检查端口号，并确认服务器正在运行。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Host not found: &quot;%1&quot; does not resolve to an address. Check the spelling of the host name, or your DNS.</source>
        <translation>找不到主机：无法将“%1”解析为地址。请检查主机名的拼写或 DNS 设置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Timed out reaching %1: no answer. Check the address and port, a firewall, or whether a proxy is needed.</source>
        <translation>连接 %1 超时：没有响应。请检查地址和端口、防火墙，或是否需要使用代理。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 closed the connection during the TLS handshake. The port may not speak TLS (try ws://), or the server refused this client&apos;s TLS settings.</source>
        <translation>%1 在 TLS 握手过程中关闭了连接。该端口可能不支持 TLS（请尝试 ws://），或者服务器拒绝了本客户端的 TLS 设置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 closed the connection without answering the WebSocket request. If this port expects TLS, use wss:// instead of ws://.</source>
        <translation>%1 没有回应 WebSocket 请求就关闭了连接。如果该端口要求 TLS，请使用 wss:// 而不是 ws://。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The network cannot reach %1. Check your connection, VPN or proxy settings.</source>
        <translation>网络无法访问 %1。请检查网络连接、VPN 或代理设置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The proxy asks for a user name and password: set them in the profile&apos;s proxy settings.</source>
        <translation>代理要求提供用户名和密码：请在连接配置的代理设置中填写。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The proxy could not connect to %1. Check the proxy&apos;s host and port, and that it allows connections to that port.</source>
        <translation>代理无法连接到 %1。请检查代理的主机和端口，并确认代理允许连接到该端口。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 answered in plain text, not TLS: this port does not speak wss://. Use ws:// for it, or the server&apos;s TLS port.</source>
        <translation>%1 以明文而不是 TLS 作答：这个端口不支持 wss://。请对它使用 ws://，或改用服务器的 TLS 端口。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 expects TLS: use wss:// instead of ws://.</source>
        <translation>%1 要求 TLS：请使用 wss:// 而不是 ws://。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 requires a client certificate: set a certificate and key file in the profile&apos;s TLS settings.</source>
        <translation>%1 要求客户端证书：请在连接配置的 TLS 设置中指定证书和私钥文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>TLS handshake with %1 failed: the server and this client have no TLS version or cipher in common (the server may only offer TLS 1.0/1.1 or old ciphers), or it refused the client certificate.</source>
        <translation>与 %1 的 TLS 握手失败：服务器与本客户端没有共同支持的 TLS 版本或加密套件（服务器可能只提供 TLS 1.0/1.1 或旧的加密套件），或者服务器拒绝了客户端证书。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate of %1 has expired: the server must renew it. To look anyway, turn off certificate verification for this profile.</source>
        <translation>%1 的证书已过期：服务器必须续期证书。如果仍要查看，请为此连接配置关闭证书验证。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate of %1 is not valid yet: check this computer&apos;s date and time.</source>
        <translation>%1 的证书尚未生效：请检查本机的日期和时间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+77"/>
        <source>The certificate of %1 is self-signed, so nobody vouches for it: add it as the profile&apos;s CA file, or pin its fingerprint.</source>
        <translation>%1 的证书是自签名证书，没有任何机构为它担保：请将它添加为连接配置的 CA 文件，或固定它的指纹。</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+95"/>
        <source>The certificate of %1 is for another host name: connect with a name the certificate lists.</source>
        <translation>%1 的证书属于另一个主机名：请使用证书中列出的名称连接。</translation>
    </message>
    <message>
        <location line="-91"/>
        <location line="+75"/>
        <source>The certificate of %1 was issued by an authority this computer does not trust, or the server does not send its intermediate certificates: add the issuing CA as the profile&apos;s CA file, or fix the chain on the server.</source>
        <translation>%1 的证书由本机不信任的机构颁发，或者服务器没有发送中间证书：请将颁发证书的 CA 添加为连接配置的 CA 文件，或在服务器上修复证书链。</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Could not connect to %1.</source>
        <translation>无法连接到 %1。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The certificate of %1 expired on %2: the server must renew it. To look anyway, turn off certificate verification for this profile.</source>
        <translation>%1 的证书已于 %2 过期：服务器必须续期证书。如果仍要查看，请为此连接配置关闭证书验证。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>an earlier date</source>
        <translation>之前的某个日期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate of %1 is valid only from %2: check this computer&apos;s date and time.</source>
        <translation>%1 的证书从 %2 起才生效：请检查本机的日期和时间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a later date</source>
        <translation>以后的某个日期</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The certificate of %1 was issued by &quot;%2&quot;, which this computer does not trust, or the server does not send its intermediate certificates: add the issuing CA as the profile&apos;s CA file, or fix the chain on the server.</source>
        <translation>%1 的证书由“%2”颁发，而本机不信任该颁发者，或者服务器没有发送中间证书：请将颁发证书的 CA 添加为连接配置的 CA 文件，或在服务器上修复证书链。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The certificate of %1 is for %2, not %3: connect with a name the certificate lists.</source>
        <translation>%1 的证书属于 %2，而不是 %3：请使用证书中列出的名称连接。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate of %1 was refused: %2</source>
        <translation>%1 的证书被拒绝：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate of %1 was refused.</source>
        <translation>%1 的证书被拒绝。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>URL is empty: enter a ws:// or wss:// address.</source>
        <translation>URL 为空：请输入 ws:// 或 wss:// 地址。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>URL &quot;%1&quot; has no scheme: add ws:// in front (ws://%1), or wss:// for TLS.</source>
        <translation>URL“%1”缺少协议：请在前面加上 ws://（ws://%1），使用 TLS 时加上 wss://。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+11"/>
        <source>URL &quot;%1&quot; has no scheme: start it with ws:// or wss://.</source>
        <translation>URL“%1”缺少协议：请以 ws:// 或 wss:// 开头。</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>URL &quot;%1&quot; is not a valid address: check it for spaces, a stray character or a malformed host or port.</source>
        <translation>URL“%1”不是有效的地址：请检查其中是否有空格、多余的字符，或者主机名、端口格式错误。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>URL scheme &quot;%1&quot; is not supported: use ws:// or wss://.</source>
        <translation>不支持 URL 协议“%1”：请使用 ws:// 或 wss://。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>URL &quot;%1&quot; has no host: write it after two slashes, as in %2://127.0.0.1:8080/.</source>
        <translation>URL“%1”缺少主机：请把主机写在两个斜杠之后，例如 %2://127.0.0.1:8080/。</translation>
    </message>
</context>
<context>
    <name>wsi::Connection</name>
    <message>
        <location filename="../app/session/connection.cpp" line="+191"/>
        <source>Details: %1</source>
        <translation>详情：%1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Ping round trip: %1 ms</source>
        <translation>Ping 往返时间：%1 ms</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Connecting to %1</source>
        <translation>正在连接到 %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Open: %1</source>
        <translation>已连接：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (subprotocol %1)</source>
        <translation>（子协议 %1）</translation>
    </message>
    <message numerus="yes">
        <location line="+44"/>
        <source>Discarded %n unread byte(s) from the server after the connection ended.</source>
        <translation>
            <numerusform>连接结束后，丢弃了服务器发来的 %n 个未读字节。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The connection closed before the handshake finished.</source>
        <translation>握手完成前连接已关闭。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You closed with code %1, but the server never answered with its close frame (RFC 6455 §5.5.1); the connection ended without one (1006).</source>
        <translation>你以关闭码 %1 关闭了连接，但服务器一直没有回应关闭帧（RFC 6455 §5.5.1）；连接在没有关闭帧的情况下结束（1006）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Closed by you with code %1%2</source>
        <translation>您已关闭连接，关闭码 %1%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>The server dropped the connection without a close frame (1006).</source>
        <translation>服务器未发送关闭帧就断开了连接（1006）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closed by the server without a status code (1005).</source>
        <translation>服务器关闭了连接，但关闭帧中没有状态码（1005）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closed by the server with code %1%2</source>
        <translation>服务器已关闭连接，关闭码 %1%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+59"/>
        <location line="+31"/>
        <source>Reconnecting in %1 ms (attempt %2).</source>
        <translation>将在 %1 ms 后重连（第 %2 次尝试）。</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>The inspector closed the connection (code 1009, message too big): the server sent a message larger than this profile&apos;s limit of %1 bytes.</source>
        <translation>检查器已关闭连接（关闭码 1009，消息过大）：服务器发送的消息超过了此配置的上限（%1 字节）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The inspector closed the connection (code 1002, protocol error): the server sent a ping, pong or close frame that breaks RFC 6455.</source>
        <translation>检查器已关闭连接（关闭码 1002，协议错误）：服务器发送的 Ping、Pong 或关闭帧违反 RFC 6455。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The inspector closed the connection (code 1007): the server sent a close frame whose reason is not valid UTF-8.</source>
        <translation>检查器已关闭连接（关闭码 1007）：服务器发送的关闭帧中，关闭原因不是有效的 UTF-8。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The inspector closed the connection with code %1.</source>
        <translation>检查器以关闭码 %1 关闭了连接。</translation>
    </message>
    <message>
        <location line="+77"/>
        <location line="+15"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not connected: the ping was not sent.</source>
        <translation>未连接：Ping 未发送。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelled by you.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Closing with code %1</source>
        <translation>正在关闭，关闭码 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reconnecting cancelled.</source>
        <translation>已取消重连。</translation>
    </message>
</context>
<context>
    <name>wsi::DeflateBridge</name>
    <message>
        <location filename="../app/server/deflatebridge.cpp" line="+148"/>
        <source>The server could not create a socket pair for compression: %1</source>
        <translation>服务器无法为压缩创建套接字对：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server could not use a socket pair for compression: %1</source>
        <translation>服务器无法使用用于压缩的套接字对：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Compression in the built-in server needs a Unix socket pair.</source>
        <translation>内置服务器的压缩功能需要 Unix 套接字对。</translation>
    </message>
    <message>
        <location line="+238"/>
        <location line="+17"/>
        <source>Compressing a message failed</source>
        <translation>压缩消息失败</translation>
    </message>
</context>
<context>
    <name>wsi::DeflateNegotiation</name>
    <message>
        <location filename="../app/deflate/deflatenegotiation.cpp" line="+103"/>
        <source>Sec-WebSocket-Extensions %1 is malformed: %2.</source>
        <translation>Sec-WebSocket-Extensions %1 格式错误：%2。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>expected an extension name at offset %1, found %2</source>
        <translation>偏移量 %1 处应为扩展名，实际是 %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>a parameter name is missing after the last &quot;;&quot;</source>
        <translation>最后一个“;”之后缺少参数名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected a parameter name at offset %1, found %2</source>
        <translation>偏移量 %1 处应为参数名，实际是 %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the quoted value of %1 has no closing quote</source>
        <translation>%1 的带引号值缺少右引号</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the quoted value %1 of %2 is not a token</source>
        <translation>%2 的带引号值 %1 不是合法的 token</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1= has no value</source>
        <translation>%1= 没有值</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unexpected %1 at offset %2</source>
        <translation>偏移量 %2 处出现了意外的 %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Deflate parameters &quot;%1&quot; contain the character U+%2: use only the ASCII parameter names and numbers.</source>
        <translation>Deflate 参数“%1”包含字符 U+%2：只能使用 ASCII 参数名和数字。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Deflate parameters &quot;%1&quot; are malformed: %2</source>
        <translation>Deflate 参数“%1”格式错误：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deflate parameters &quot;%1&quot; describe more than one extension: separate parameters with &quot;;&quot;, not &quot;,&quot;.</source>
        <translation>Deflate 参数“%1”描述了不止一个扩展：参数之间请用“;”分隔，不要用“,”。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Deflate parameter %1 is given twice.</source>
        <translation>Deflate 参数 %1 出现了两次。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deflate parameter %1 takes no value (found &quot;%2&quot;).</source>
        <translation>Deflate 参数 %1 不接受值（却给出了“%2”）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Deflate parameter server_max_window_bits needs a value from 8 to 15.</source>
        <translation>Deflate 参数 server_max_window_bits 需要 8 到 15 之间的值。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deflate parameter %1=%2 is out of range: use 8 to 15.</source>
        <translation>Deflate 参数 %1=%2 超出范围：请使用 8 到 15。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Deflate parameter &quot;%1&quot; is unknown: use client_max_window_bits, server_max_window_bits, client_no_context_takeover or server_no_context_takeover.</source>
        <translation>未知的 Deflate 参数“%1”：请使用 client_max_window_bits、server_max_window_bits、client_no_context_takeover 或 server_no_context_takeover。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>permessage-deflate declined by the server: messages are not compressed</source>
        <translation>服务器拒绝了 permessage-deflate 压缩扩展：消息不压缩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>permessage-deflate: server window %1 bits, client window %2 bits</source>
        <translation>permessage-deflate：服务器窗口 %1 位，客户端窗口 %2 位</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, server resets its context per message</source>
        <translation>，服务器在每条消息之后重置压缩上下文</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, client resets its context per message</source>
        <translation>，客户端在每条消息之后重置压缩上下文</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The server accepted the extension %1, which was not offered (only permessage-deflate was).</source>
        <translation>服务器接受了扩展 %1，但客户端并未提议该扩展（只提议了 permessage-deflate）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server&apos;s Sec-WebSocket-Extensions names permessage-deflate %1 times; it was offered once.</source>
        <translation>服务器的 Sec-WebSocket-Extensions 中 permessage-deflate 出现了 %1 次，而客户端只提议了一次。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The server&apos;s permessage-deflate response has the parameter %1 twice.</source>
        <translation>服务器的 permessage-deflate 响应中参数 %1 出现了两次。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server&apos;s permessage-deflate response gives %1 the value %2; it takes none.</source>
        <translation>服务器的 permessage-deflate 响应为 %1 给出了值 %2，但该参数不接受值。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s permessage-deflate response has %1 without a value; a response must give one from 8 to 15.</source>
        <translation>服务器的 permessage-deflate 响应中 %1 没有值；响应必须给出 8 到 15 之间的值。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s permessage-deflate response has %1=%2, which is not a window size from 8 to 15.</source>
        <translation>服务器的 permessage-deflate 响应中有 %1=%2，这不是 8 到 15 之间的窗口大小。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server&apos;s permessage-deflate response has the unknown parameter %1.</source>
        <translation>服务器的 permessage-deflate 响应中有未知参数 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server&apos;s permessage-deflate response has client_max_window_bits=%1, which was not offered.</source>
        <translation>服务器的 permessage-deflate 响应中有 client_max_window_bits=%1，但客户端并未提议该参数。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s permessage-deflate response has client_max_window_bits=%1, larger than the %2 offered.</source>
        <translation>服务器的 permessage-deflate 响应中 client_max_window_bits=%1，大于提议的 %2。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s permessage-deflate response leaves out server_max_window_bits, which was offered as %1: the server did not accept the offer it answered.</source>
        <translation>服务器的 permessage-deflate 响应缺少 server_max_window_bits（提议值为 %1）：服务器并没有接受它所回应的提议。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s permessage-deflate response has server_max_window_bits=%1, larger than the %2 offered.</source>
        <translation>服务器的 permessage-deflate 响应中 server_max_window_bits=%1，大于提议的 %2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server&apos;s permessage-deflate response leaves out server_no_context_takeover, which was offered: the server did not accept the offer it answered.</source>
        <translation>服务器的 permessage-deflate 响应缺少已提议的 server_no_context_takeover：服务器并没有接受它所回应的提议。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>parameter %1 given twice</source>
        <translation>参数 %1 出现了两次</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 has a value</source>
        <translation>%1 带有值</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1=%2 is not a window size from 8 to 15</source>
        <translation>%1=%2 不是 8 到 15 之间的窗口大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no value</source>
        <translation>%1 没有值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unknown parameter %1</source>
        <translation>未知参数 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>permessage-deflate offer declined: %1.</source>
        <translation>已拒绝 permessage-deflate 提议：%1。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The server accepted the extension %1, which was not offered.</source>
        <translation>服务器接受了扩展 %1，但客户端并未提议该扩展。</translation>
    </message>
    <message>
        <location filename="../app/deflate/deflateparams.cpp" line="+52"/>
        <source>Deflate parameter client_max_window_bits=%1 is out of range: use 8 to 15, no value (the server chooses), or leave it out.</source>
        <translation>Deflate 参数 client_max_window_bits=%1 超出范围：请使用 8 到 15，或不带值（由服务器选择），或省略该参数。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Deflate parameter server_max_window_bits=%1 is out of range: use 8 to 15, or leave it out.</source>
        <translation>Deflate 参数 server_max_window_bits=%1 超出范围：请使用 8 到 15，或省略该参数。</translation>
    </message>
</context>
<context>
    <name>wsi::FrameDiagram</name>
    <message>
        <location filename="../app/teach/framediagram.cpp" line="+14"/>
        <source>0x0 continuation: the next piece of a fragmented message</source>
        <translation>0x0 延续帧：被分片消息的下一部分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0x1 text: a message in UTF-8</source>
        <translation>0x1 文本帧：UTF-8 编码的消息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0x2 binary: a message of raw bytes</source>
        <translation>0x2 二进制帧：由原始字节组成的消息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0x8 close: starts or answers the closing handshake</source>
        <translation>0x8 关闭帧：发起或回应关闭握手</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0x9 ping: the peer must answer with a pong</source>
        <translation>0x9 Ping：对端必须回复 Pong</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0xA pong: the answer to a ping (or a one-way heartbeat)</source>
        <translation>0xA Pong：对 Ping 的回复（或单向心跳）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>0x%1 reserved: no meaning is defined, a receiver must fail the connection</source>
        <translation>0x%1 保留：未定义含义，接收方必须使连接失败</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>1: this frame ends the message</source>
        <translation>1：本帧是消息的最后一帧</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>0: more frames of this message follow</source>
        <translation>0：该消息后面还有帧</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1: reserved for an extension (permessage-deflate marks a compressed message)</source>
        <translation>1：保留给扩展使用（permessage-deflate 用它标记压缩消息）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1: reserved for an extension; without one the receiver must fail</source>
        <translation>1：保留给扩展使用；没有协商扩展时，接收方必须使连接失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0: no extension uses it</source>
        <translation>0：没有扩展使用该位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1: the payload is masked (every client-to-server frame must be)</source>
        <translation>1：负载已掩码（客户端发往服务器的每一帧都必须如此）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0: not masked (every server-to-client frame must be so)</source>
        <translation>0：未加掩码（服务器发往客户端的每一帧都必须如此）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the payload length itself (0–125 fit in these 7 bits)</source>
        <translation>%1：就是负载长度本身（0–125 用这 7 位即可表示）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>126: the length follows in the next 16 bits</source>
        <translation>126：长度在随后的 16 位中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>127: the length follows in the next 64 bits</source>
        <translation>127：长度在随后的 64 位中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>payload length</source>
        <translation>负载长度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>extended payload length</source>
        <translation>扩展负载长度</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n byte(s) of payload</source>
        <translation>
            <numerusform>%n 字节负载</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>masking key</source>
        <translation>掩码键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>4 random bytes; payload byte i is XORed with key byte i mod 4</source>
        <translation>4 个随机字节；负载的第 i 个字节与掩码键的第 i mod 4 个字节做异或（XOR）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>close code</source>
        <translation>关闭码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (first 2 payload bytes)</source>
        <translation>%1（负载的前 2 个字节）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 (first 2 payload bytes)</source>
        <translation>%1 %2（负载的前 2 个字节）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Header bytes: %1</source>
        <translation>帧头字节：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In binary:    %1</source>
        <translation>二进制：  %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>bits %1–%2</source>
        <translation>第 %1–%2 位</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Payload on the wire: %1</source>
        <translation>传输的负载：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Payload unmasked:    %1</source>
        <translation>解除掩码后：%1</translation>
    </message>
</context>
<context>
    <name>wsi::FrameParser</name>
    <message>
        <location filename="../app/wire/frameparser.cpp" line="+148"/>
        <source>non-minimal length encoding (16-bit length %1)</source>
        <translation>长度编码不是最短形式（16 位长度 %1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>64-bit length with the most significant bit set</source>
        <translation>64 位长度的最高位被置 1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>non-minimal length encoding (64-bit length %1)</source>
        <translation>长度编码不是最短形式（64 位长度 %1）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>masked frame from the server</source>
        <translation>服务器发来的帧带有掩码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unmasked frame from the client</source>
        <translation>客户端发来的帧未加掩码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RSV bits set (%1) without a negotiated extension</source>
        <translation>未协商扩展却设置了 RSV 位（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reserved opcode 0x%1</source>
        <translation>保留的操作码 0x%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>control frame longer than 125 bytes (%1)</source>
        <translation>控制帧超过 125 字节（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fragmented control frame</source>
        <translation>控制帧被分片</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Inspector limit: a %1 frame declares %2 bytes, more than this profile&apos;s maximum message size (%3 bytes); the inspector stopped reading. Not a server fault: raise the limit to receive it.</source>
        <translation>检查器限制：一个 %1 帧声明了 %2 字节，超过此配置的最大消息大小（%3 字节）；检查器已停止读取。这不是服务器的错误：提高上限即可接收。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Inspector limit: a fragmented %1 message passed this profile&apos;s maximum message size (%2 bytes) at a frame of %3 bytes; the inspector stopped reading. Not a server fault: raise the limit to receive it.</source>
        <translation>检查器限制：一条被分片的 %1 消息在一个 %3 字节的帧处超过了此配置的最大消息大小（%2 字节）；检查器已停止读取。这不是服务器的错误：提高上限即可接收。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>continuation frame without a message to continue</source>
        <translation>收到延续帧，但没有待延续的消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>new data frame inside a fragmented message</source>
        <translation>分片消息中出现了新的数据帧</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>close payload of 1 byte (a code needs 2)</source>
        <translation>关闭帧负载只有 1 字节（关闭码需要 2 字节）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>invalid close code %1</source>
        <translation>无效的关闭码 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>close reason is not valid UTF-8</source>
        <translation>关闭原因不是有效的 UTF-8</translation>
    </message>
</context>
<context>
    <name>wsi::HandshakeCheck</name>
    <message>
        <location filename="../app/wire/handshakecheck.cpp" line="+189"/>
        <source>The server answered with TLS bytes (%1), not HTTP: the port expects wss://, not ws://.</source>
        <translation>服务器以 TLS 字节（%1）而不是 HTTP 作答：该端口要求 wss://，而不是 ws://。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s reply is not HTTP: it starts with the bytes %1 instead of &quot;HTTP/&quot;.</source>
        <translation>服务器的回复不是 HTTP：它以字节 %1 开头，而不是“HTTP/”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s reply is not HTTP: it starts with &quot;%1&quot; instead of &quot;HTTP/&quot;.</source>
        <translation>服务器的回复不是 HTTP：它以“%1”开头，而不是“HTTP/”。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server&apos;s response head did not end within %1 bytes (no empty line): it is endless or not a WebSocket handshake.</source>
        <translation>服务器的响应头部在 %1 字节内没有结束（没有空行）：它没完没了，或者根本不是 WebSocket 握手。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server closed the connection without answering the handshake request.</source>
        <translation>服务器没有回应握手请求就关闭了连接。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>The server closed the connection in the middle of its response head, after %n byte(s) and before the empty line that ends it.</source>
        <translation>
            <numerusform>服务器在发送响应头部的中途关闭了连接：已发送 %n 字节，尚未发送结束头部的空行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The server&apos;s status line &quot;%1&quot; is not &quot;HTTP/1.1 &lt;code&gt; &lt;reason&gt;&quot;.</source>
        <translation>服务器的状态行“%1”不符合“HTTP/1.1 &lt;code&gt; &lt;reason&gt;”格式。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s response head ends line %1 with a bare LF instead of CR LF (tolerated, but many clients wait for CR LF forever).</source>
        <translation>服务器的响应头部第 %1 行以单独的 LF 而不是 CR LF 结尾（可以容忍，但许多客户端会一直等待 CR LF）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The server answered HTTP %1 instead of 101 Switching Protocols: it redirects to &quot;%2&quot;. Redirects are not followed; connect to that address instead.</source>
        <translation>服务器以 HTTP %1 而不是 101 Switching Protocols 作答：它重定向到“%2”。本工具不会跟随重定向；请改为连接该地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server answered HTTP %1 instead of 101 Switching Protocols: it wants credentials. Add them to the profile (an Authorization header, or the proxy&apos;s user and password).</source>
        <translation>服务器以 HTTP %1 而不是 101 Switching Protocols 作答：它要求提供凭据。请在连接配置中添加凭据（Authorization 标头，或代理的用户名和密码）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server answered HTTP %1 instead of 101 Switching Protocols: it did not accept the WebSocket upgrade.</source>
        <translation>服务器以 HTTP %1 而不是 101 Switching Protocols 作答：它没有接受 WebSocket 协议升级。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server&apos;s 101 response has no Upgrade header; RFC 6455 requires &quot;Upgrade: websocket&quot;.</source>
        <translation>服务器的 101 响应中没有 Upgrade 标头；RFC 6455 要求“Upgrade: websocket”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s Upgrade header is &quot;%1&quot;, not &quot;websocket&quot;.</source>
        <translation>服务器的 Upgrade 标头是“%1”，而不是“websocket”。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s 101 response has no Connection header; RFC 6455 requires one that contains &quot;Upgrade&quot;.</source>
        <translation>服务器的 101 响应中没有 Connection 标头；RFC 6455 要求该标头包含“Upgrade”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s Connection header &quot;%1&quot; does not contain the token &quot;Upgrade&quot;.</source>
        <translation>服务器的 Connection 标头“%1”不包含“Upgrade”。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The server&apos;s 101 response has no Sec-WebSocket-Accept header.</source>
        <translation>服务器的 101 响应中没有 Sec-WebSocket-Accept 标头。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server&apos;s 101 response has no Sec-WebSocket-Accept header (expected &quot;%1&quot;).</source>
        <translation>服务器的 101 响应中没有 Sec-WebSocket-Accept 标头（应为“%1”）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server sent %1 Sec-WebSocket-Accept headers (&quot;%2&quot;); exactly one is allowed.</source>
        <translation>服务器发送了 %1 个 Sec-WebSocket-Accept 标头（“%2”）；只允许有一个。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server&apos;s Sec-WebSocket-Accept &quot;%1&quot; is not 28 characters of base64.</source>
        <translation>服务器的 Sec-WebSocket-Accept“%1”不是 28 个字符的 base64。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s Sec-WebSocket-Accept &quot;%1&quot; is not 28 characters of base64 (expected &quot;%2&quot;).</source>
        <translation>服务器的 Sec-WebSocket-Accept“%1”不是 28 个字符的 base64（应为“%2”）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server&apos;s Sec-WebSocket-Accept is &quot;%1&quot;, but the key this client sent requires &quot;%2&quot;.</source>
        <translation>服务器的 Sec-WebSocket-Accept 是“%1”，但根据本客户端发送的 Sec-WebSocket-Key，应为“%2”。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s Sec-WebSocket-Protocol names %1 subprotocols (&quot;%2&quot;); it must choose exactly one.</source>
        <translation>服务器的 Sec-WebSocket-Protocol 列出了 %1 个子协议（“%2”）；服务器只能选择一个。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server chose the subprotocol &quot;%1&quot; although the client offered none.</source>
        <translation>客户端没有提供任何子协议，服务器却选择了子协议“%1”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server chose the subprotocol &quot;%1&quot;, which the client never offered (offered: %2).</source>
        <translation>服务器选择了子协议“%1”，但客户端从未提供过它（提供的是：%2）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The server&apos;s Sec-WebSocket-Extensions uses &quot;%1&quot; although the client offered no extension.</source>
        <translation>客户端没有提议任何扩展，服务器的 Sec-WebSocket-Extensions 却使用了“%1”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s Sec-WebSocket-Extensions uses &quot;%1&quot;, which the client never offered (offered: %2).</source>
        <translation>服务器的 Sec-WebSocket-Extensions 使用了“%1”，但客户端从未提议过它（提议的是：%2）。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No handshake response within %1 ms.</source>
        <translation>%1 ms 内未收到握手响应。</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>The server sent %n byte(s) of a response head, not even a complete status line (&quot;%1&quot;), and never the empty line that ends it: the handshake timed out after %2 ms.</source>
        <translation>
            <numerusform>服务器只发送了响应头部的 %n 字节，连完整的状态行都没有（“%1”），也始终没有发送结束头部的空行：握手在 %2 ms 后超时。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>status %1</source>
        <translation>状态 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>status line &quot;%1&quot;</source>
        <translation>状态行“%1”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no header line yet</source>
        <translation>还没有标头行</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>then %n header line(s)</source>
        <translation>
            <numerusform>随后 %n 个标头行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>The server sent %n byte(s) of a response head (%1, %2) but never the empty line that ends it: the handshake timed out after %3 ms.</source>
        <translation>
            <numerusform>服务器发送了响应头部的 %n 字节（%1，%2），但始终没有发送结束头部的空行：握手在 %3 ms 后超时。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HandshakePanel</name>
    <message>
        <location filename="../ui/wire/handshakepanel.cpp" line="+41"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+7"/>
        <source>Raw</source>
        <translation>原始</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Headers</source>
        <translation>标头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accept check</source>
        <translation>Accept 校验</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How Sec-WebSocket-Accept is derived from the request&apos;s key, step by step</source>
        <translation>逐步演示如何由请求中的 Sec-WebSocket-Key 推导出 Sec-WebSocket-Accept</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Request&lt;/b&gt; (sent)</source>
        <translation>&lt;b&gt;请求&lt;/b&gt;（已发送）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Response&lt;/b&gt; (received)</source>
        <translation>&lt;b&gt;响应&lt;/b&gt;（已接收）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The handshake appears here once the connection starts.</source>
        <translation>连接开始后，握手信息将显示在这里。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The request carries no Sec-WebSocket-Key yet.</source>
        <translation>请求中还没有 Sec-WebSocket-Key。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Waiting for the connection…</source>
        <translation>正在等待连接…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request sent; waiting for the response…</source>
        <translation>请求已发送；正在等待响应…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;101 Switching Protocols&lt;/b&gt;: the server accepted the upgrade.</source>
        <translation>&lt;b&gt;101 Switching Protocols&lt;/b&gt;：服务器接受了协议升级。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sec-WebSocket-Accept &lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ matches&lt;/span&gt; the key (%1).</source>
        <translation>Sec-WebSocket-Accept &lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ 与 Sec-WebSocket-Key 匹配&lt;/span&gt;（%1）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sec-WebSocket-Accept &lt;span style=&apos;color:#b00020&apos;&gt;✗ wrong&lt;/span&gt;: expected %1, got %2.</source>
        <translation>Sec-WebSocket-Accept &lt;span style=&apos;color:#b00020&apos;&gt;✗ 错误&lt;/span&gt;：应为 %1，实际为 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing</source>
        <translation>空</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Subprotocol: %1 · Extensions: %2</source>
        <translation>子协议：%1 · 扩展：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Negotiated by the relay: %1</source>
        <translation>由中继协商：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b style=&apos;color:#b00020&apos;&gt;HTTP %1 %2&lt;/b&gt;: the server refused the upgrade.</source>
        <translation>&lt;b style=&apos;color:#b00020&apos;&gt;HTTP %1 %2&lt;/b&gt;：服务器拒绝了协议升级。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It asks for authentication: WWW-Authenticate: %1</source>
        <translation>服务器要求身份验证：WWW-Authenticate: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>DNS %1 · TCP connect %2 · TLS %3 · upgrade %4</source>
        <translation>DNS %1 · TCP 连接 %2 · TLS %3 · 升级 %4</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retry at %1</source>
        <translation>改用 %1 重试</translation>
    </message>
</context>
<context>
    <name>wsi::Har</name>
    <message>
        <location filename="../app/capture/har.cpp" line="+72"/>
        <source>Cannot write the HAR file: %1</source>
        <translation>无法写入 HAR 文件：%1</translation>
    </message>
</context>
<context>
    <name>wsi::HarReader</name>
    <message numerus="yes">
        <location filename="../app/capture/harreader.cpp" line="+485"/>
        <source>More messages were skipped; only the first %n are listed.</source>
        <translation>
            <numerusform>还有更多消息被跳过；只列出前 %n 条。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+25"/>
        <source>a HAR file starts with &quot;{&quot;</source>
        <translation>HAR 文件应以“{”开头</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>unexpected end</source>
        <translation>意外结束</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;,&quot; or &quot;]&quot; expected</source>
        <translation>此处应为“,”或“]”</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&quot;,&quot; or &quot;}&quot; expected</source>
        <translation>此处应为“,”或“}”</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>HAR entry %1 is not a JSON object (skipped).</source>
        <translation>HAR 条目 %1 不是 JSON 对象（已跳过）。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;:&quot; expected</source>
        <translation>此处应为“:”</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>a key in quotes expected</source>
        <translation>此处应为带引号的键</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+42"/>
        <location line="+152"/>
        <source>nested deeper than %1 levels</source>
        <translation>嵌套超过 %1 层</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>&quot;%1&quot; holds more than %2 values</source>
        <translation>“%1”包含超过 %2 个值</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>HAR entry %1 is a WebSocket connection beyond the first %2 (skipped).</source>
        <translation>HAR 条目 %1 是前 %2 个之外的 WebSocket 连接（已跳过）。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>HAR entry %1, message %2 is not a JSON object (skipped).</source>
        <translation>HAR 条目 %1，消息 %2 不是 JSON 对象（已跳过）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WebSocket error</source>
        <translation>WebSocket 错误</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>HAR entry %1, message %2: unknown type &quot;%3&quot; (skipped).</source>
        <translation>HAR 条目 %1，消息 %2：未知类型“%3”（已跳过）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>HAR entry %1, message %2: &quot;data&quot; is not a string (skipped).</source>
        <translation>HAR 条目 %1，消息 %2：&quot;data&quot; 不是字符串（已跳过）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>HAR entry %1, message %2: &quot;data&quot; is longer than %3 MiB; the rest of it is dropped.</source>
        <translation>HAR 条目 %1，消息 %2：&quot;data&quot; 超过 %3 MiB，其余部分已丢弃。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>HAR entry %1, message %2: binary &quot;data&quot; is not valid base64 (skipped).</source>
        <translation>HAR 条目 %1，消息 %2：二进制 &quot;data&quot; 不是有效的 base64（已跳过）。</translation>
    </message>
    <message>
        <location line="+62"/>
        <source> (in HAR entry %1)</source>
        <translation>（在 HAR 条目 %1 中）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot read the HAR file at byte %1.</source>
        <translation>无法读取 HAR 文件第 %1 字节处的内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The HAR file is not valid JSON: it ends at byte %1 before its JSON is complete.</source>
        <translation>HAR 文件不是有效的 JSON：它在第 %1 字节处结束，JSON 尚不完整。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The HAR file is not valid JSON: %1 at byte %2.</source>
        <translation>HAR 文件不是有效的 JSON：第 %2 字节处：%1。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The HAR file is cut off at byte %1%2, as when it was not written to the end; what came before is kept.</source>
        <translation>HAR 文件在第 %1 字节处中断%2，像是没有写完；之前的内容已保留。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The HAR file is not valid JSON at byte %1%2 (%3); what came before is kept.</source>
        <translation>HAR 文件在第 %1 字节处不是有效的 JSON%2（%3）；之前的内容已保留。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <location line="+16"/>
        <source>%n HTTP entry(s) of the HAR file skipped (only WebSocket entries are opened).</source>
        <translation>
            <numerusform>已跳过 HAR 文件中的 %n 个 HTTP 条目（只打开 WebSocket 条目）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-7"/>
        <source>This is not a HAR file: it has no &quot;log&quot; object with an &quot;entries&quot; array.</source>
        <translation>这不是 HAR 文件：其中没有带 &quot;entries&quot; 数组的 &quot;log&quot; 对象。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>The HAR file has no WebSocket entry (%n HTTP entry(s) skipped). Export it from the browser&apos;s Network panel with the WebSocket connection selected.</source>
        <translation>
            <numerusform>HAR 文件中没有 WebSocket 条目（已跳过 %n 个 HTTP 条目）。请在浏览器的“网络”面板中选中 WebSocket 连接后再导出。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HeaderGlossary</name>
    <message>
        <location filename="../app/teach/headerglossary.cpp" line="+11"/>
        <source>The server&apos;s name and port, as in the URL: lets one address serve many sites (RFC 6455 §4.1).</source>
        <translation>服务器的主机名和端口，与 URL 中的相同：让同一个地址可以承载多个网站（RFC 6455 §4.1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Asks the server to switch this HTTP connection to the WebSocket protocol.</source>
        <translation>请求服务器把这条 HTTP 连接切换为 WebSocket 协议。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server agrees to switch to WebSocket; must be &quot;websocket&quot; (RFC 6455 §4.1).</source>
        <translation>服务器同意切换到 WebSocket；值必须是“websocket”（RFC 6455 §4.1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Says that Upgrade is meant for this hop: the connection changes protocol.</source>
        <translation>表明 Upgrade 只针对当前这一跳：这条连接要切换协议。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must contain the token &quot;Upgrade&quot; for the switch to happen (RFC 6455 §4.1).</source>
        <translation>必须包含“Upgrade”，协议切换才会发生（RFC 6455 §4.1）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>16 random bytes in base64, new for every connection: the server proves it read this request by hashing it into Sec-WebSocket-Accept.</source>
        <translation>16 个随机字节的 base64 编码，每次连接都重新生成：服务器用它计算哈希得出 Sec-WebSocket-Accept，以此证明自己读过这个请求。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>base64(SHA-1(key + the GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)): proves the server understood the WebSocket request; the client must check it (RFC 6455 §4.2.2).</source>
        <translation>base64(SHA-1(key + GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11))：证明服务器理解了这个 WebSocket 请求；客户端必须校验它（RFC 6455 §4.2.2）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The protocol version the client speaks: 13 is RFC 6455.</source>
        <translation>客户端使用的协议版本：13 即 RFC 6455。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent with a refusal (426) to list the versions the server speaks.</source>
        <translation>随拒绝响应（426）一起发送，列出服务器支持的版本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Subprotocols the client offers, in order of preference (wx.connectSocket&apos;s protocols).</source>
        <translation>客户端提供的子协议，按优先顺序排列（即 wx.connectSocket 的 protocols）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The one subprotocol the server chose from the client&apos;s list; it must be one that was offered.</source>
        <translation>服务器从客户端列表中选定的那一个子协议；必须是客户端提供过的。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Extensions the client offers, e.g. permessage-deflate compression (RFC 7692).</source>
        <translation>客户端提议的扩展，例如 permessage-deflate 压缩扩展（RFC 7692）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extensions the server accepted, with their parameters; only offered ones are allowed.</source>
        <translation>服务器接受的扩展及其参数；只能是客户端提议过的扩展。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The web page&apos;s origin that opens the socket; servers use it to refuse other sites&apos; pages.</source>
        <translation>发起该连接的网页所属的源；服务器据此拒绝其他网站的页面。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The client program and its version.</source>
        <translation>客户端程序及其版本。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cookies the client sends along, as with any HTTP request (often a login session).</source>
        <translation>客户端随请求一起发送的 Cookie，与普通 HTTP 请求一样（通常是登录会话）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A cookie the server asks the client to store.</source>
        <translation>服务器要求客户端保存的 Cookie。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Credentials for the server (for example &quot;Bearer &lt;token&gt;&quot;): treat its value as a secret.</source>
        <translation>提供给服务器的凭据（例如“Bearer &lt;token&gt;”）：请把它的值当作机密。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server wants credentials and says which kind (comes with a 401 refusal).</source>
        <translation>服务器要求提供凭据，并说明凭据类型（随 401 拒绝响应一起发送）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Credentials for a proxy between the client and the server.</source>
        <translation>提供给客户端与服务器之间代理的凭据。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server software&apos;s name (informational).</source>
        <translation>服务器软件的名称（仅供参考）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the server sent the response.</source>
        <translation>服务器发送该响应的时间。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where the server redirects the client (3xx refusal); WebSocket clients do not follow it on their own.</source>
        <translation>服务器要求客户端重定向到的地址（3xx 拒绝响应）；WebSocket 客户端不会自动跟随。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The size of the body after the head; a 101 response has no body.</source>
        <translation>HTTP 头部之后正文的大小；101 响应没有正文。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kind of body that follows (for an error page, usually HTML or text).</source>
        <translation>随后正文的类型（错误页面通常是 HTML 或纯文本）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The body is sent in pieces (chunked); only refusals have a body.</source>
        <translation>正文分块发送（chunked）；只有拒绝响应才带正文。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tells caches and proxies not to store or reuse this exchange.</source>
        <translation>告诉缓存和代理不要存储或复用这次交互。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long to wait before trying again (with 429 or 503).</source>
        <translation>重试之前需要等待多久（与 429 或 503 一起出现）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CORS: which web pages may read HTTP responses; browsers do not apply it to WebSocket.</source>
        <translation>CORS：哪些网页可以读取 HTTP 响应；浏览器不会把它用于 WebSocket。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A custom header of the application, not part of the WebSocket protocol.</source>
        <translation>应用自定义的标头，不属于 WebSocket 协议。</translation>
    </message>
</context>
<context>
    <name>wsi::HexView</name>
    <message>
        <location filename="../ui/payload/hexview.cpp" line="+373"/>
        <source>Copy as hex</source>
        <translation>复制为十六进制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy as base64</source>
        <translation>复制为 base64</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy as C array</source>
        <translation>复制为 C 数组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy raw bytes</source>
        <translation>复制原始字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>(empty payload)</source>
        <translation>（负载为空）</translation>
    </message>
</context>
<context>
    <name>wsi::HostOverride</name>
    <message>
        <location filename="../app/wire/hostoverride.cpp" line="+27"/>
        <source>Resolve entry &quot;%1&quot; is not of the form HOST:PORT:ADDRESS (e.g. example.com:443:127.0.0.1).</source>
        <translation>解析条目“%1”不符合“主机:端口:地址”格式（例如 example.com:443:127.0.0.1）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Resolve entry &quot;%1&quot;: &quot;%2&quot; is not a host name.</source>
        <translation>解析条目“%1”：“%2”不是主机名。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resolve entry &quot;%1&quot;: the port &quot;%2&quot; is not a number from 1 to 65535.</source>
        <translation>解析条目“%1”：端口“%2”不是 1 到 65535 之间的数字。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Resolve entry &quot;%1&quot;: &quot;%2&quot; is not an IPv4 or IPv6 address.</source>
        <translation>解析条目“%1”：“%2”不是 IPv4 或 IPv6 地址。</translation>
    </message>
</context>
<context>
    <name>wsi::HttpBody</name>
    <message numerus="yes">
        <location filename="../app/wire/httpbody.cpp" line="+33"/>
        <location line="+16"/>
        <location line="+7"/>
        <source>Chunked body cut short after %n chunk(s); shown as far as it arrived.</source>
        <translation>
            <numerusform>分块传输的正文在第 %n 块之后中断；只显示已收到的部分。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-20"/>
        <source>The body says Transfer-Encoding: chunked, but &quot;%1&quot; at byte %2 is not a chunk size; shown as received.</source>
        <translation>正文声明 Transfer-Encoding: chunked，但第 %2 字节处的“%1”不是分块大小；按收到的原样显示。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Chunked transfer encoding decoded (%n chunk(s)).</source>
        <translation>
            <numerusform>已解码分块传输编码（%n 块）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::HttpHeadParser</name>
    <message>
        <location filename="../app/wire/httpheadparser.cpp" line="+69"/>
        <source>The server&apos;s reply is not HTTP: it starts with %1 instead of &quot;HTTP/&quot;.</source>
        <translation>服务器的回复不是 HTTP：它以 %1 开头，而不是“HTTP/”。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The HTTP head is longer than %1 bytes without ending in an empty line.</source>
        <translation>HTTP 头部已超过 %1 字节，仍未以空行结束。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Empty HTTP head.</source>
        <translation>HTTP 头部为空。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Malformed request line: %1</source>
        <translation>请求行格式错误：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Malformed status line: %1</source>
        <translation>状态行格式错误：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Line %1 ends with a bare LF instead of CR LF.</source>
        <translation>第 %1 行以单独的 LF 而不是 CR LF 结尾。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Folded header line (obsolete): %1</source>
        <translation>折叠的标头行（已废弃的写法）：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Header line without a name and colon: %1</source>
        <translation>标头行缺少名称和冒号：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Whitespace in header name: %1</source>
        <translation>标头名称中含有空白字符：%1</translation>
    </message>
</context>
<context>
    <name>wsi::IncomingInflater</name>
    <message>
        <location filename="../app/deflate/incominginflater.cpp" line="+80"/>
        <source>Frame with the reserved opcode %1 (RFC 6455 §5.2)</source>
        <translation>帧使用了保留的操作码 %1（RFC 6455 §5.2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A new %1 frame arrived while a fragmented message was unfinished (RFC 6455 §5.4)</source>
        <translation>被分片的消息尚未结束时又收到了新的 %1 帧（RFC 6455 §5.4）</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Message too big after inflating (over %1): stopped as a decompression bomb</source>
        <translation>解压后消息过大（超过 %1）：已按解压炸弹处理并停止</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Corrupt compressed message</source>
        <translation>压缩消息已损坏</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Message too big (over %1)</source>
        <translation>消息过大（超过 %1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A message from the client is larger than %1 (%2).</source>
        <translation>客户端发来的消息大于 %1（%2）。</translation>
    </message>
</context>
<context>
    <name>wsi::JsonDiff</name>
    <message>
        <location filename="../app/capture/jsondiff.cpp" line="+76"/>
        <source>&quot;%1&quot; is not a JSON pointer: it must start with / (for example /id or /items/*/time).</source>
        <translation>“%1”不是 JSON 指针：必须以 / 开头（例如 /id 或 /items/*/time）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;%1&quot; is not a valid regular expression: %2</source>
        <translation>“%1”不是有效的正则表达式：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: %2 was recorded, now missing</source>
        <translation>%1：录制时为 %2，现在缺失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: not recorded, now %2</source>
        <translation>%1：录制时没有，现在为 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 → %3</source>
        <translation>%1：%2 → %3</translation>
    </message>
    <message numerus="yes">
        <location line="+88"/>
        <location line="+2"/>
        <source>%n byte(s): %1</source>
        <translation>
            <numerusform>%n 字节：%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::JsonlReader</name>
    <message numerus="yes">
        <location filename="../app/capture/jsonlreader.cpp" line="+143"/>
        <source>More lines were skipped; only the first %n are listed.</source>
        <translation>
            <numerusform>还有更多行被跳过；只列出前 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Line %1 is longer than %2 MiB (skipped).</source>
        <translation>第 %1 行超过 %2 MiB（已跳过）。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The last line (line %1) is cut off, as when the recording was interrupted (skipped).</source>
        <translation>最后一行（第 %1 行）不完整，像是录制被中断（已跳过）。</translation>
    </message>
    <message>
        <location line="+309"/>
        <source>Line %1 is not valid JSON (%2 at byte %3; skipped).</source>
        <translation>第 %1 行不是有效的 JSON（第 %3 字节处：%2；已跳过）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Line %1 is not a JSON object (skipped).</source>
        <translation>第 %1 行不是 JSON 对象（已跳过）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Line %1 has no &quot;event&quot; string (skipped).</source>
        <translation>第 %1 行没有 &quot;event&quot; 字符串（已跳过）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Line %1 has no valid &quot;time&quot; (Unix seconds) (skipped).</source>
        <translation>第 %1 行没有有效的 &quot;time&quot;（Unix 秒）（已跳过）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line %1 has no valid &quot;conn&quot; number (skipped).</source>
        <translation>第 %1 行没有有效的 &quot;conn&quot; 编号（已跳过）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line %1 starts connection %2, more than the %3 connections one file may hold (skipped).</source>
        <translation>第 %1 行开始了连接 %2，超过了一个文件最多可含的 %3 个连接（已跳过）。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Connecting to %1</source>
        <translation>正在连接到 %1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Closed with code %1</source>
        <translation>已关闭，关闭码 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Line %1: frame without &quot;dir&quot; send or receive (skipped).</source>
        <translation>第 %1 行：帧缺少取值为 send 或 receive 的 &quot;dir&quot;（已跳过）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Line %1: frame without a valid &quot;opcode&quot; (0-15) (skipped).</source>
        <translation>第 %1 行：帧缺少有效的 &quot;opcode&quot;（0-15）（已跳过）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line %1: frame &quot;base64&quot; is not valid base64 (skipped).</source>
        <translation>第 %1 行：帧的 &quot;base64&quot; 不是有效的 base64（已跳过）。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Line %1: the message grows beyond %2 MiB; the rest of its payload is dropped.</source>
        <translation>第 %1 行：消息超过 %2 MiB；其余负载被丢弃。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Line %1: message without &quot;dir&quot; send or receive (skipped).</source>
        <translation>第 %1 行：消息缺少取值为 send 或 receive 的 &quot;dir&quot;（已跳过）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Line %1: message &quot;base64&quot; is not valid base64 (skipped).</source>
        <translation>第 %1 行：消息的 &quot;base64&quot; 不是有效的 base64（已跳过）。</translation>
    </message>
</context>
<context>
    <name>wsi::LessonController</name>
    <message>
        <location filename="../ui/teach/lessoncontroller.cpp" line="+88"/>
        <source>Connecting to the built-in echo server first…</source>
        <translation>先连接内置回显服务器…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Push demo</source>
        <translation>推送演示</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hello, class!</source>
        <translation>同学们好！</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>split into frames of four bytes</source>
        <translation>拆分为每帧四个字节</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Option: header</source>
        <translation>选项：header</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Option: protocols</source>
        <translation>选项：protocols</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>lesson over</source>
        <translation>下课</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing to close: the current session is not open.</source>
        <translation>没有可关闭的连接：当前会话未打开。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>application code</source>
        <translation>应用自定义关闭码</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a session first: the step&apos;s &quot;Do it&quot; link does that.</source>
        <translation>请先打开一个会话：点击本步骤的“动手”链接即可。</translation>
    </message>
</context>
<context>
    <name>wsi::LessonPanel</name>
    <message>
        <location filename="../ui/teach/lessonpanel.cpp" line="+17"/>
        <source>◀ &amp;Back</source>
        <translation>◀ 上一步(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Next ▶</source>
        <translation>下一步(&amp;N) ▶</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>No lesson text was found.</source>
        <translation>没有找到课程内容。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
</context>
<context>
    <name>wsi::LogEntry</name>
    <message>
        <location filename="../app/log/logentry.cpp" line="+44"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ping</source>
        <translation>ping</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pong</source>
        <translation>pong</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>info</source>
        <translation>信息</translation>
    </message>
</context>
<context>
    <name>wsi::LogPanel</name>
    <message>
        <location filename="../ui/log/logpanel.cpp" line="+41"/>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aa</source>
        <translation>Aa</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only matching</source>
        <translation>仅显示匹配项</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+174"/>
        <location line="+122"/>
        <source>Pause display</source>
        <translation>暂停显示</translation>
    </message>
    <message>
        <location line="-267"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter: text or regular expression</source>
        <translation>筛选：文本或正则表达式</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Both ways</source>
        <translation>双向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>↓ Received</source>
        <translation>↓ 接收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>↑ Sent</source>
        <translation>↑ 发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>• Local</source>
        <translation>• 本地</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Types</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>≥ </source>
        <translation>≥ </translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source> B</source>
        <translation> B</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Smallest payload shown</source>
        <translation>显示的负载大小下限</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no max</source>
        <translation>无上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>≤ </source>
        <translation>≤ </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Largest payload shown</source>
        <translation>显示的负载大小上限</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+153"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>Show only payloads within a size range</source>
        <translation>只显示大小在某个范围内的负载</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Hide rows that do not match; otherwise matches are highlighted among all rows.</source>
        <translation>隐藏不匹配的行；不勾选时显示所有行并高亮匹配项。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配（Shift+F3）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next match (F3)</source>
        <translation>下一个匹配（F3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Clock time</source>
        <translation>本地时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Since connect</source>
        <translation>自连接起</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Since previous</source>
        <translation>距上一条</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Freeze the table; messages are still captured and appear on resume.</source>
        <translation>冻结表格；消息仍会被捕获，恢复后显示。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Resume display (%1 new)</source>
        <translation>恢复显示（%1 条新消息）</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1–%2 B</source>
        <translation>%1–%2 B</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Filtering… %1 matches so far</source>
        <translation>正在筛选…已找到 %1 个匹配项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 matches</source>
        <translation>%1 个匹配</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 older rows not in view (memory cap)</source>
        <translation>%1 条较早的行已不在视图中（内存上限）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 new — jump to latest</source>
        <translation>%1 条新消息，跳到最新</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Resume display</source>
        <translation>恢复显示</translation>
    </message>
</context>
<context>
    <name>wsi::LogStatsPanel</name>
    <message>
        <location filename="../ui/log/logstatspanel.cpp" line="+136"/>
        <source>Rate in: %1 msg/s, %2/s · out: %3 msg/s, %4/s</source>
        <translation>接收速率：%1 条/秒，%2/秒 · 发送：%3 条/秒，%4/秒</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Compressed in: %Ln message(s), %1 on the wire for %2 (%3)</source>
        <translation>
            <numerusform>压缩接收：%Ln 条消息，实际传输 %1，解压后 %2（%3）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>out: %Ln message(s), %1 for %2 (%3)</source>
        <translation>
            <numerusform>发送：%Ln 条消息，%1，原为 %2（%3）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ping round trip: %1 ms</source>
        <translation>Ping 往返时间：%1 ms</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ping round trip: –</source>
        <translation>Ping 往返时间：–</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Push latency (server time → here, %Ln message(s)): median %1 ms, p95 %2 ms, max %3 ms</source>
        <translation>
            <numerusform>推送延迟（服务器时间 → 此处，%Ln 条消息）：中位数 %1 ms，p95 %2 ms，最大 %3 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>In: %Ln message(s), %1</source>
        <translation>
            <numerusform>接收：%Ln 条消息，%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Out: %Ln message(s), %1</source>
        <translation>
            <numerusform>发送：%Ln 条消息，%1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::LoopbackProxy</name>
    <message>
        <location filename="../app/wire/loopbackproxy.cpp" line="+56"/>
        <source>The wire relay could not listen on 127.0.0.1: %1</source>
        <translation>内部中继无法在 127.0.0.1 上监听：%1</translation>
    </message>
</context>
<context>
    <name>wsi::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="+128"/>
        <source>WebSocket Inspector</source>
        <translation>WebSocket Inspector</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Profiles</source>
        <translation>连接配置</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Record to capture file…</source>
        <translation>录制到捕获文件(&amp;R)…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Close tab</source>
        <translation>关闭标签页(&amp;C)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+513"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <location line="-506"/>
        <source>&amp;Next tab</source>
        <translation>下一个标签页(&amp;N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Previous tab</source>
        <translation>上一个标签页(&amp;P)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Profile list</source>
        <translation>连接配置列表(&amp;P)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Maximize details</source>
        <translation>最大化详情区(&amp;M)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Payload, handshake and TLS details over the whole tab</source>
        <translation>让负载、握手和 TLS 详情占满整个标签页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Statistics</source>
        <translation>统计信息(&amp;S)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>P&amp;resentation</source>
        <translation>演示模式(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Log memory &amp;limit…</source>
        <translation>日志内存上限(&amp;L)…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Earlier / later sent messages (in the send box)</source>
        <translation>上一条/下一条已发送的消息（在发送框中）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next / previous filter match in the log</source>
        <translation>日志中的下一个/上一个筛选匹配项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find in the hex view / next match there</source>
        <translation>在十六进制视图中查找/查找下一个匹配项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go to an offset in the hex view</source>
        <translation>在十六进制视图中跳转到偏移量</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Zoom %1 %</source>
        <translation>缩放 %1%</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>Built-in profiles cannot be changed; duplicate one to make your own.</source>
        <translation>内置连接配置不能修改；请复制一份再修改。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fix the profile&apos;s problems shown in the editor before saving.</source>
        <translation>请先修正编辑器中指出的连接配置问题，再保存。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open a connection first (File → New connection).</source>
        <translation>请先打开一个连接（文件 → 新建连接）。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unsaved connection</source>
        <translation>未保存的连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the connection &quot;%1&quot; as a profile before quitting?</source>
        <translation>退出前将连接“%1”另存为连接配置吗？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the connection &quot;%1&quot; as a profile before closing its tab?</source>
        <translation>关闭标签页前将连接“%1”另存为连接配置吗？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved anywhere yet: %1. Discarding loses them.</source>
        <translation>以下内容尚未保存：%1。放弃后将丢失。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as profile…</source>
        <translation>另存为连接配置…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unsaved connections</source>
        <translation>未保存的连接</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n connection(s) have settings that are not saved as profiles. Save them before quitting?</source>
        <translation>
            <numerusform>有 %n 个连接的设置尚未另存为连接配置。退出前保存吗？</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save all…</source>
        <translation>全部保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard all</source>
        <translation>全部放弃</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Unsaved profile changes</source>
        <translation>未保存的连接配置更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The profile being edited cannot be saved yet: %1

Quit and lose these changes?</source>
        <translation>正在编辑的连接配置暂时无法保存：%1

仍要退出并丢弃这些更改吗？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has a problem shown in the editor.</source>
        <translation>编辑器中指出了一个问题。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>&amp;Disconnect</source>
        <translation>断开(&amp;D)</translation>
    </message>
    <message>
        <location line="-495"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Log memory limit</source>
        <translation>日志内存上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory each session&apos;s log may use (MiB). Beyond it the oldest rows leave the view;
a running capture file still has them.</source>
        <translation>每个会话的日志可使用的内存（MiB）。超出后最早的行将移出视图；
正在录制的捕获文件仍保留它们。</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>&amp;Explain mode</source>
        <translation>讲解模式(&amp;E)</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>&amp;New connection</source>
        <translation>新建连接(&amp;N)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open selected &amp;profile</source>
        <translation>打开所选配置(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save &amp;as profile…</source>
        <translation>另存为连接配置(&amp;A)…</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Explain every header, the Accept check and the connection state</source>
        <translation>讲解每个标头、Accept 校验和连接状态</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WebSocket &amp;lesson</source>
        <translation>WebSocket 课程(&amp;L)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;About WebSocket Inspector</source>
        <translation>关于 WebSocket Inspector(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About WebSocket Inspector</source>
        <translation>关于 WebSocket Inspector</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;WebSocket Inspector %1&lt;/h3&gt;&lt;p&gt;See the handshake, every frame and every message of a WebSocket connection.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;WebSocket Inspector %1&lt;/h3&gt;&lt;p&gt;查看 WebSocket 连接的握手、每一帧和每一条消息。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+166"/>
        <source>WebSocket lesson</source>
        <translation>WebSocket 课程</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Fix the profile&apos;s problems shown in the editor before connecting.</source>
        <translation>连接前请先修正编辑器中显示的配置问题。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>• %1 — %2</source>
        <translation>• %1：%2</translation>
    </message>
    <message>
        <location line="+133"/>
        <source>No session</source>
        <translation>无会话</translation>
    </message>
</context>
<context>
    <name>wsi::MessageAssembler</name>
    <message>
        <location filename="../app/wire/messageassembler.cpp" line="+103"/>
        <source>A compressed message has more than %1 of deflate data, more than the largest incoming message.</source>
        <translation>一条压缩消息的 deflate 数据超过 %1，超出了允许接收的最大消息。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Inspector limit: this message passed the maximum message size (%1 bytes); the payloads of its later frames are not kept.</source>
        <translation>检查器限制：此消息超过了最大消息大小（%1 字节）；其后续帧的负载不再保留。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Inspector limit: this message has more than %1 frames; only the first %1 frame headers are kept (the payload is complete).</source>
        <translation>检查器限制：此消息超过 %1 帧；只保留前 %1 个帧头（负载是完整的）。</translation>
    </message>
</context>
<context>
    <name>wsi::MessageComposer</name>
    <message>
        <location filename="../app/send/messagecomposer.cpp" line="+23"/>
        <source>Choose a file to send.</source>
        <translation>请选择要发送的文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot read %1: no such file.</source>
        <translation>无法读取 %1：文件不存在。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot read %1: not a regular file.</source>
        <translation>无法读取 %1：不是普通文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+15"/>
        <source>%1 is %2, more than the %3 a message may have.</source>
        <translation>%1 的大小为 %2，超过了单条消息的上限 %3。</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+12"/>
        <source>Cannot read %1: %2.</source>
        <translation>无法读取 %1：%2。</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>%1 grew while it was read; nothing was sent.</source>
        <translation>%1 在读取过程中变大了；未发送任何内容。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is %2. Send it as one binary message?</source>
        <translation>%1 的大小为 %2。要将其作为一条二进制消息发送吗？</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This is not valid JSON: %1
Send it anyway?</source>
        <translation>这不是有效的 JSON：%1
仍要发送吗？</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A frame size of %1 bytes is too large: at most %2.</source>
        <translation>帧大小 %1 字节过大：最多为 %2。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Invalid JSON: %1</source>
        <translation>JSON 无效：%1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 is %2: confirm before sending a file larger than %3.</source>
        <translation>%1 的大小为 %2：发送大于 %3 的文件前请先确认。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is read only when it is sent.</source>
        <translation>%1 在发送时才会读取。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Unknown kind of message.</source>
        <translation>未知的消息类型。</translation>
    </message>
</context>
<context>
    <name>wsi::MessageDeflater</name>
    <message>
        <location filename="../app/deflate/messagecodec.cpp" line="+225"/>
        <source>The compressor could not be set up (zlib out of memory).</source>
        <translation>无法初始化压缩器（zlib 内存不足）。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Compressing a message failed (zlib error %1).</source>
        <translation>压缩消息失败（zlib 错误 %1）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Compressing a message failed: zlib&apos;s output does not end with 00 00 ff ff.</source>
        <translation>压缩消息失败：zlib 的输出没有以 00 00 ff ff 结尾。</translation>
    </message>
</context>
<context>
    <name>wsi::MessageInflater</name>
    <message>
        <location line="-161"/>
        <source>The inflater could not be set up (zlib out of memory).</source>
        <translation>无法初始化解压器（zlib 内存不足）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+66"/>
        <source>Compressed message continues after its final deflate block (%1 more).</source>
        <translation>压缩消息在最后一个 deflate 块之后还有数据（多出 %1）。</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>Corrupt compressed message: its %1 of deflate data end inside a block (truncated, or the sender did not remove 00 00 ff ff).</source>
        <translation>压缩消息已损坏：其 %1 的 deflate 数据在块的中间结束（数据被截断，或发送方没有去掉 00 00 ff ff）。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Inflated message exceeds the limit of %1 (the largest incoming message): %2 of compressed data already gave more than that, a ratio above %3:1. Stopped as a decompression bomb.</source>
        <translation>解压后的消息超过了 %1 的上限（接收消息上限）：仅 %2 的压缩数据就已解压出更多内容，压缩比超过 %3:1。已按解压炸弹处理并停止。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Corrupt compressed message: zlib says &quot;%1&quot; after %2 of deflate data.</source>
        <translation>压缩消息已损坏：处理 %2 的 deflate 数据后，zlib 报告“%1”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Inflating a message ran out of memory.</source>
        <translation>解压消息时内存不足。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inflating a message failed (zlib error %1).</source>
        <translation>解压消息失败（zlib 错误 %1）。</translation>
    </message>
</context>
<context>
    <name>wsi::MessageLogModel</name>
    <message>
        <location filename="../app/log/messagelogmodel.cpp" line="+35"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>(no code)</source>
        <translation>（无关闭码）</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local event</source>
        <translation>本地事件</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Compressed (permessage-deflate): %n byte(s) on the wire</source>
        <translation>
            <numerusform>已压缩（permessage-deflate）：实际传输 %n 字节</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n byte(s) inflated</source>
        <translation>
            <numerusform>解压后 %n 字节</numerusform>
        </translation>
    </message>
    <message>
        <location line="+37"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dir</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
</context>
<context>
    <name>wsi::MiniProgramCheck</name>
    <message>
        <location filename="../app/check/miniprogramcheck.cpp" line="+89"/>
        <source>The URL must start with wss:// (TLS).</source>
        <translation>URL 必须以 wss://（TLS）开头。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The URL is %1.</source>
        <translation>URL 为 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The URL is %1: wx.connectSocket refuses anything but wss://.</source>
        <translation>URL 为 %1：wx.connectSocket 只接受 wss://。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Serve the WebSocket over TLS with a certificate for its domain and use wss://.</source>
        <translation>用该域名的证书通过 TLS 提供 WebSocket 服务，并使用 wss://。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The host must be a domain name on the mini program&apos;s socket allow-list: no IP address or localhost (LAN addresses only work in development, with domain checks off).</source>
        <translation>主机必须是小程序 socket 合法域名列表中的域名：不能是 IP 地址或 localhost（局域网地址只在开发时、关闭域名校验后可用）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give the server a domain name with a certificate for it, and add wss://NAME to the socket allow-list in the mini program&apos;s admin console.</source>
        <translation>为服务器配置域名和对应的证书，并在小程序管理后台把 wss://域名 加入 socket 合法域名。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The URL has no host.</source>
        <translation>URL 中没有主机。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The host %1 is a local IP address: only a phone in development mode with domain checks off would connect.</source>
        <translation>主机 %1 是本地 IP 地址：只有处于开发模式并关闭域名校验的手机才会连接。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host %1 is an IP address: the allow-list only takes domain names.</source>
        <translation>主机 %1 是 IP 地址：合法域名列表只接受域名。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The host %1 is not a public domain name: a phone cannot look it up.</source>
        <translation>主机 %1 不是公网域名：手机无法解析它。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host %1 is a domain name. This check cannot see your allow-list: make sure wss://%1 is on it.</source>
        <translation>主机 %1 是域名。本检查看不到你的合法域名列表：请确认 wss://%1 已在其中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This check connected to %1 (resolve entry %2); phones look %3 up in public DNS.</source>
        <translation>本检查连接的是 %1（解析条目 %2）；手机会通过公网 DNS 解析 %3。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A mini program cannot set these headers: %1.</source>
        <translation>小程序不能设置这些标头：%1。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This profile sends %1; a phone would not, so the server must not depend on it.</source>
        <translation>此配置发送了 %1；手机不会发送，因此服务器不能依赖它。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove %1 from the profile&apos;s headers and let the server work without it.</source>
        <translation>从配置的标头中删除 %1，并让服务器在没有它时也能工作。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The profile sets no headers of its own.</source>
        <translation>此配置没有设置自己的标头。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The profile&apos;s own headers: %1.</source>
        <translation>此配置自己的标头：%1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Each option needs a base library version: protocols 1.4.0, tcpNoDelay 2.4.0, perMessageDeflate 2.8.0, timeout 2.10.0; at most %1 sockets may be open at once (%2 before %3).</source>
        <translation>每个选项都需要相应的基础库版本：protocols 1.4.0，tcpNoDelay 2.4.0，perMessageDeflate 2.8.0，timeout 2.10.0；同时最多打开 %1 个 socket（%3 之前为 %2 个）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>These settings need no particular base library.</source>
        <translation>这些设置不需要特定的基础库版本。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>These settings need base library %1 or newer (%2).</source>
        <translation>这些设置需要基础库 %1 或更新版本（%2）。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>WARN</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>FAIL</source>
        <translation>不通过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CANNOT TELL</source>
        <translation>无法判断</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>failed: %1, warnings: %2, passed: %3, cannot tell: %4</source>
        <translation>不通过：%1，警告：%2，通过：%3，无法判断：%4</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mini-program check of %1</source>
        <translation>%1 的小程序检查</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>seen: %1</source>
        <translation>所见：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>change: %1</source>
        <translation>修改：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Result: %1</source>
        <translation>结果：%1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>ws:// has no TLS: there is nothing here to judge.</source>
        <translation>ws:// 没有 TLS：这里没有可判断的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The TLS handshake did not get that far.</source>
        <translation>TLS 握手没有进行到这一步。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The TLS handshake did not get that far: %1</source>
        <translation>TLS 握手没有进行到这一步：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The certificate must be valid for the host name.</source>
        <translation>证书必须对该主机名有效。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The certificate names %1, which covers %2.</source>
        <translation>证书列出的名称为 %1，包含 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate (%1) lists no names (subjectAltName); phones need %2 there.</source>
        <translation>证书（%1）没有列出任何名称（使用者可选名称）；手机要求其中包含 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate names %1, not %2.</source>
        <translation>证书列出的名称为 %1，而不是 %2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get a certificate whose subjectAltName includes %1.</source>
        <translation>申请使用者可选名称（subjectAltName）包含 %1 的证书。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The certificate must be valid today.</source>
        <translation>证书今天必须在有效期内。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>valid from %1 to %2</source>
        <translation>有效期从 %1 到 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The certificate expired: %1.</source>
        <translation>证书已过期：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renew the certificate and install it on the server.</source>
        <translation>续期证书并安装到服务器上。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate is not valid yet: %1.</source>
        <translation>证书尚未生效：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the server&apos;s clock and the certificate&apos;s start date.</source>
        <translation>检查服务器的时钟和证书的生效日期。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate is %1.</source>
        <translation>证书%1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server must send the whole chain up to a trusted root: phones do not fetch missing intermediate certificates.</source>
        <translation>服务器必须发送直到受信任根证书的完整证书链：手机不会自行下载缺失的中间证书。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chain must end at a public root CA that phones trust.</source>
        <translation>证书链必须终止于手机信任的公共根 CA。</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>The server sent %n certificate(s): %1. The issuer of the last one, %2, was not sent and is not a trusted root.</source>
        <translation>
            <numerusform>服务器发送了 %n 个证书：%1。最后一个证书的颁发者 %2 既没有发送，也不是受信任的根证书。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Configure the server to send its intermediate certificates after its own (the full chain file, e.g. fullchain.pem).</source>
        <translation>配置服务器在自己的证书之后发送中间证书（使用完整证书链文件，例如 fullchain.pem）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chain the server sent does not reach a root.</source>
        <translation>服务器发送的证书链没有到达根证书。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>The server sent %n certificate(s), up to its own root: %1.</source>
        <translation>
            <numerusform>服务器发送了 %n 个证书，直到它自己的根证书：%1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The root %1 is not trusted here, and phones will not trust it either.</source>
        <translation>根证书 %1 在本机不受信任，手机也不会信任它。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use a certificate from a public CA.</source>
        <translation>使用公共 CA 签发的证书。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>The server sent %n certificate(s): %1.</source>
        <translation>
            <numerusform>服务器发送了 %n 个证书：%1。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The root %1 is in this computer&apos;s CA store.</source>
        <translation>根证书 %1 在本机的 CA 存储中。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The root %1 is trusted only through this profile&apos;s CA file (%2); phones trust public CAs only.</source>
        <translation>根证书 %1 只因此配置的 CA 文件（%2）而受信任；手机只信任公共 CA。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fine for a test server; in production use a certificate from a public CA.</source>
        <translation>测试服务器可以这样；正式环境请使用公共 CA 签发的证书。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Certificate verification is off in this profile; phones always verify.</source>
        <translation>此配置关闭了证书验证；手机总是会验证。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn certificate verification back on.</source>
        <translation>重新打开证书验证。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>TLS 1.2 or newer, with a forward-secret (ECDHE) cipher that iPhones accept.</source>
        <translation>TLS 1.2 或更新版本，并使用 iPhone 接受的前向保密（ECDHE）加密套件。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server did not agree on TLS 1.2 or newer: %1</source>
        <translation>服务器没有接受 TLS 1.2 或更新版本：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>Enable TLS 1.2 and TLS 1.3 on the server.</source>
        <translation>在服务器上启用 TLS 1.2 和 TLS 1.3。</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The server chose %1 with %2.</source>
        <translation>服务器选择了 %1，加密套件 %2。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 has no forward secrecy (no ECDHE key exchange).</source>
        <translation>%1 没有前向保密（不是 ECDHE 密钥交换）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offer ECDHE ciphers such as ECDHE-RSA-AES128-GCM-SHA256 or ECDHE-ECDSA-AES128-GCM-SHA256.</source>
        <translation>提供 ECDHE 加密套件，例如 ECDHE-RSA-AES128-GCM-SHA256 或 ECDHE-ECDSA-AES128-GCM-SHA256。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The connection must open: the server accepts the upgrade with 101 Switching Protocols.</source>
        <translation>连接必须能打开：服务器以 101 Switching Protocols 接受协议升级。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>The server answered %1.</source>
        <translation>服务器的响应为 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the server answer this URL&apos;s upgrade request with 101.</source>
        <translation>让服务器对此 URL 的升级请求返回 101。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection did not open.</source>
        <translation>连接没有打开。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection did not open: %1</source>
        <translation>连接没有打开：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix what the other rules found; otherwise make sure the server runs and this computer reaches it.</source>
        <translation>先修正其他规则发现的问题；否则请确认服务器正在运行且本机能访问到它。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>When protocols are offered (base library 1.4.0 or newer), the server should choose one of them.</source>
        <translation>提供子协议时（基础库 1.4.0 或更新版本），服务器应选择其中一个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <location line="+22"/>
        <source>The upgrade did not complete.</source>
        <translation>协议升级没有完成。</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>The server chose &quot;%1&quot;, which was not offered (offered: %2).</source>
        <translation>服务器选择了“%1”，但客户端没有提供它（提供的是：%2）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the server choose only a subprotocol the client offers.</source>
        <translation>让服务器只选择客户端提供的子协议。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No subprotocol was offered and the server chose none.</source>
        <translation>没有提供子协议，服务器也没有选择。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offered %1; the server chose none.</source>
        <translation>提供了 %1；服务器一个也没有选择。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the server choose one of the offered subprotocols, or stop offering them.</source>
        <translation>让服务器从提供的子协议中选择一个，或者不再提供子协议。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offered %1; the server chose %2.</source>
        <translation>提供了 %1；服务器选择了 %2。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>permessage-deflate (perMessageDeflate, base library 2.8.0 or newer) may only be used when offered.</source>
        <translation>permessage-deflate 压缩扩展（perMessageDeflate，基础库 2.8.0 或更新版本）只能在客户端提供时使用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing was offered, but the server answered &quot;%1&quot;.</source>
        <translation>客户端没有提供任何扩展，但服务器响应了“%1”。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the server answer extensions only when the client offers them.</source>
        <translation>让服务器只在客户端提供扩展时才响应扩展。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offered: %1; the server answered: %2.</source>
        <translation>提供：%1；服务器响应：%2。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>nothing</source>
        <translation>空</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The connection must open within wx.connectSocket&apos;s timeout: %1 ms here (the platform&apos;s default is %2 ms, or networkTimeout.connectSocket in app.json).</source>
        <translation>连接必须在 wx.connectSocket 的超时时间内打开：此处为 %1 ms（平台默认 %2 ms，或 app.json 中的 networkTimeout.connectSocket）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>DNS %1 ms, TCP %2 ms, TLS %3 ms, upgrade %4 ms: %5 ms in all.</source>
        <translation>DNS %1 ms，TCP %2 ms，TLS %3 ms，升级 %4 ms：共 %5 ms。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Make the server answer faster, or raise the timeout.</source>
        <translation>让服务器更快地响应，或者调大超时时间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Over half the timeout already: a phone on a mobile network will be slower.</source>
        <translation>已经超过超时时间的一半：手机在移动网络上会更慢。</translation>
    </message>
</context>
<context>
    <name>wsi::MiniProgramCheckRun</name>
    <message>
        <location filename="../app/check/miniprogramcheckrun.cpp" line="+20"/>
        <source>The check gave up after %1 ms.</source>
        <translation>检查在 %1 ms 后放弃。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The check gave up.</source>
        <translation>检查已放弃。</translation>
    </message>
</context>
<context>
    <name>wsi::MiniProgramPanel</name>
    <message>
        <location filename="../ui/check/miniprogrampanel.cpp" line="+79"/>
        <source>Run check</source>
        <translation>运行检查</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checks this connection against the WeChat mini-program rules for wx.connectSocket: wss://, a domain name, the certificate and its whole chain, TLS 1.2 or newer, headers a mini program cannot set, and the base library the settings need.</source>
        <translation>按微信小程序 wx.connectSocket 的规则检查此连接：wss://、域名、证书及其完整证书链、TLS 1.2 或更新版本、小程序不能设置的标头，以及这些设置需要的基础库版本。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Seen: %1</source>
        <translation>所见：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change: %1</source>
        <translation>修改：%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A mini program would not connect to %1.</source>
        <translation>小程序无法连接到 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing stops a mini program from connecting to %1.</source>
        <translation>没有发现阻止小程序连接到 %1 的问题。</translation>
    </message>
</context>
<context>
    <name>wsi::MiniProgramReportModel</name>
    <message>
        <location filename="../app/check/miniprogramreportmodel.cpp" line="+63"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seen</source>
        <translation>所见</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What to change</source>
        <translation>如何修改</translation>
    </message>
</context>
<context>
    <name>wsi::PayloadCodec</name>
    <message>
        <location filename="../app/payload/payloadcodec.cpp" line="+32"/>
        <source>Hex digit at position %1 has no partner: bytes need two digits.</source>
        <translation>位置 %1 处的十六进制数字没有配对：每个字节需要两位数字。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&quot;%1&quot; at position %2 is not a hex digit.</source>
        <translation>位置 %2 处的“%1”不是十六进制数字。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Odd number of hex digits: the digit at position %1 has no partner.</source>
        <translation>十六进制数字的个数为奇数：位置 %1 处的数字没有配对。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Base64 continues after its &quot;=&quot; padding at position %1.</source>
        <translation>Base64 在位置 %1 处的“=”填充之后仍有内容。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&quot;%1&quot; at position %2 is not a base64 character.</source>
        <translation>位置 %2 处的“%1”不是 base64 字符。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Base64 mixes the standard (+/) and URL-safe (-_) alphabets at position %1.</source>
        <translation>Base64 在位置 %1 处混用了标准（+/）和 URL 安全（-_）字母表。</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Base64 has %n character(s): a length of 4n+1 cannot be decoded (a character is missing or extra).</source>
        <translation>
            <numerusform>Base64 共有 %n 个字符：长度为 4n+1 时无法解码（缺少或多出一个字符）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Base64 padding at position %1 does not complete a group of four.</source>
        <translation>位置 %1 处的 Base64 填充没有凑满一组四个字符。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Base64 could not be decoded.</source>
        <translation>无法解码 Base64。</translation>
    </message>
</context>
<context>
    <name>wsi::PayloadText</name>
    <message>
        <location filename="../app/payload/payloadtext.cpp" line="+181"/>
        <source>%1 at line %2, column %3 (byte %4).</source>
        <translation>%1，位于第 %2 行第 %3 列（字节 %4）。</translation>
    </message>
</context>
<context>
    <name>wsi::PayloadView</name>
    <message>
        <location filename="../ui/payload/payloadview.cpp" line="+79"/>
        <source>Showing the first %1 of %2: use Hex or Save for the whole payload.</source>
        <translation>仅显示 %2 中的前 %1：查看完整负载请使用“Hex”或“保存”。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+58"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hex</source>
        <translation>Hex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base64</source>
        <translation>Base64</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+209"/>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the message (text as is, binary as hex)</source>
        <translation>复制消息（文本原样复制，二进制复制为十六进制）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the payload&apos;s raw bytes to a file</source>
        <translation>将负载的原始字节保存到文件</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Select a row to see its payload.</source>
        <translation>选择一行以查看其负载。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Go to offset (4096 or 0x1000), Ctrl+G</source>
        <translation>跳转到偏移量（4096 或 0x1000），Ctrl+G</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Find (Ctrl+F), next: Enter or F3</source>
        <translation>查找（Ctrl+F），下一个：Enter 或 F3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hex bytes</source>
        <translation>十六进制字节</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find the next match (Enter)</source>
        <translation>查找下一个匹配（Enter）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RSV</source>
        <translation>RSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Masked</source>
        <translation>已掩码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mask key</source>
        <translation>掩码键</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Payload offset</source>
        <translation>负载偏移量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Violations</source>
        <translation>违规</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Frames (%1)</source>
        <translation>帧（%1）</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Close code %1%2</source>
        <translation>关闭码 %1%2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No close code</source>
        <translation>无关闭码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Invalid UTF-8 at byte %1 (0x%2): shown as �.</source>
        <translation>字节 %1 处的 UTF-8 无效（0x%2）：显示为 �。</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n invisible character(s) made visible (highlighted): → tab, ↵ newline, ⍽ no-break space, «NUL» «CR» «ZWSP» «BOM»... for the others.</source>
        <translation>
            <numerusform>已将 %n 个不可见字符显示出来（高亮）：→ 制表符，↵ 换行符，⍽ 不换行空格，其他字符显示为 «NUL» «CR» «ZWSP» «BOM» 等。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Too large to pretty-print.</source>
        <translation>内容过大，无法美化显示。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not valid JSON: %1</source>
        <translation>不是有效的 JSON：%1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 (7-bit)</source>
        <translation>%1（7 位）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2-bit)</source>
        <translation>%1（%2 位）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No frame details (not seen on the wire).</source>
        <translation>没有帧详情（未在网络数据中捕获到）。</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n frame(s) carried this message.</source>
        <translation>
            <numerusform>此消息由 %n 个帧承载。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+2"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+4"/>
        <source>Save payload</source>
        <translation>保存负载</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not an offset: type a decimal number or 0x followed by hex digits.</source>
        <translation>“%1”不是偏移量：请输入十进制数，或以 0x 开头的十六进制数。</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Offset %1 is past the end (the payload has %n byte(s)).</source>
        <translation>
            <numerusform>偏移量 %1 超出末尾（负载共 %n 字节）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Not found.</source>
        <translation>未找到。</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Selected %n byte(s) at 0x%1 (%2)</source>
        <translation>
            <numerusform>已选择 0x%1（%2）处的 %n 字节</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Offset 0x%1 (%2) of %n byte(s)</source>
        <translation>
            <numerusform>偏移量 0x%1（%2），共 %n 字节</numerusform>
        </translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bits</source>
        <translation>位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Opcodes: 0x0 continuation · 0x1 text · 0x2 binary · 0x8 close · 0x9 ping · 0xA pong · 0x3–0x7 and 0xB–0xF reserved.</source>
        <translation>操作码：0x0 延续 · 0x1 文本 · 0x2 二进制 · 0x8 关闭 · 0x9 Ping · 0xA Pong · 0x3–0x7 和 0xB–0xF 为保留值。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Close codes: %1 · 3000–3999 registered by libraries · 4000–4999 for applications.</source>
        <translation>关闭码：%1 · 3000–3999 由库和框架注册 · 4000–4999 供应用程序自行使用。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>First payload bytes on the wire: %1</source>
        <translation>传输中的负载开头字节：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unmasked (XOR with the key): %1</source>
        <translation>解除掩码后（与掩码键异或）：%1</translation>
    </message>
</context>
<context>
    <name>wsi::PlaceholderExpander</name>
    <message>
        <location filename="../app/payload/placeholderexpander.cpp" line="+52"/>
        <source>Placeholder at position %1 is not closed with &quot;}}&quot;.</source>
        <translation>位置 %1 处的占位符没有以“}}”结束。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{{%1}} at position %2: the length must be a number from 1 to %3.</source>
        <translation>位置 %2 处的 {{%1}}：长度必须是 1 到 %3 之间的数字。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Unknown placeholder {{%1}} at position %2 (known: timestamp, iso8601, uuid, counter, random:N).</source>
        <translation>位置 %2 处的占位符 {{%1}} 未知（可用：timestamp、iso8601、uuid、counter、random:N）。</translation>
    </message>
</context>
<context>
    <name>wsi::PollProbe</name>
    <message>
        <location filename="../app/server/pushpollprobes.cpp" line="+106"/>
        <source>Polling: %1</source>
        <translation>轮询：%1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Polling: an answer without Content-Length.</source>
        <translation>轮询：响应没有 Content-Length。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Polling: the server answered &quot;%1&quot;.</source>
        <translation>轮询：服务器回答“%1”。</translation>
    </message>
</context>
<context>
    <name>wsi::Profile</name>
    <message>
        <location filename="../app/profiles/profile.cpp" line="+117"/>
        <source>Built-in echo server</source>
        <translation>内置回显服务器</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Built-in chat room</source>
        <translation>内置聊天室</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Built-in server push (1 message/s)</source>
        <translation>内置服务器推送（每秒 1 条消息）</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileEditor</name>
    <message>
        <location filename="../ui/profiles/profileeditor.cpp" line="+42"/>
        <source>Offered, server chooses</source>
        <translation>提议，由服务器选择</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offer client_max_window_bits without a value, as browsers do: the server chooses</source>
        <translation>提议 client_max_window_bits 但不带值（浏览器的做法）：由服务器选择</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Do not offer (15 bits)</source>
        <translation>不提议（15 位）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No limit asked (15 bits)</source>
        <translation>不要求限制（15 位）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 bits (%2)</source>
        <translation>%1 位（%2）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (not a window size)</source>
        <translation>%1（不是窗口大小）</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>The certificate, its chain, TLS and the server&apos;s answers need a connection: use Mini-program check in the connection&apos;s tab.</source>
        <translation>证书、证书链、TLS 和服务器的响应需要实际连接才能判断：请在连接的标签页中使用“小程序检查”。</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>CA certificates (PEM)</source>
        <translation>CA 证书（PEM）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client certificate (PEM)</source>
        <translation>客户端证书（PEM）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Private key (PEM)</source>
        <translation>私钥（PEM）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pinned certificates</source>
        <translation>已固定的证书</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Subject</source>
        <translation>使用者</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SHA-256 fingerprint</source>
        <translation>SHA-256 指纹</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Certificates you chose to trust for this profile although they could not be verified (Trust in a tab&apos;s TLS page).</source>
        <translation>虽未通过验证、但你已选择在此配置中信任的证书（在标签页的 TLS 页中点“信任”）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop trusting the selected certificate for this profile</source>
        <translation>在此配置中不再信任所选证书</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Load saved version</source>
        <translation>载入已保存版本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Discard your unsaved changes and show the profile as it is saved now</source>
        <translation>放弃未保存的修改，显示当前已保存的配置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep your values; Save writes them over the other change</source>
        <translation>保留你的值；保存时覆盖另一处的修改</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Select a profile to see or edit it.</source>
        <translation>选择一个连接配置以查看或编辑。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Built-in profiles are read-only: duplicate this one to make a profile you can edit.</source>
        <translation>内置配置为只读：请为其创建副本，得到可编辑的配置。</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>(subject not recorded)</source>
        <translation>（未记录使用者）</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>This profile was changed elsewhere while you edited it. Both changed: %1. Your values are kept until you save; load the saved version to take the other change instead.</source>
        <translation>你编辑期间，此配置在别处被修改。双方都改了：%1。保存前保留你的值；若要采用另一处的修改，请载入已保存版本。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save as profile…</source>
        <translation>另存为连接配置…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep this connection&apos;s settings as a profile (Ctrl+S)</source>
        <translation>把此连接的设置保存为连接配置（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Send this header</source>
        <translation>发送此标头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Secret: kept in the keychain, masked here, left out of exports</source>
        <translation>保密：保存在系统密钥环中，此处遮盖显示，导出时不包含</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Offer: Sec-WebSocket-Extensions: %1</source>
        <translation>提议：Sec-WebSocket-Extensions: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Something on this page needs fixing before you can save or connect</source>
        <translation>此页有需要修正的问题，修正后才能保存或连接</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileListModel</name>
    <message>
        <location filename="../app/profiles/profilelistmodel.cpp" line="+16"/>
        <source>Built-in echo server</source>
        <translation>内置回显服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built-in chat room</source>
        <translation>内置聊天室</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built-in server push (1 message/s)</source>
        <translation>内置服务器推送（每秒 1 条消息）</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 (built in, read-only)</source>
        <translation>%1（内置，只读）</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>%1 (copy)</source>
        <translation>%1（副本）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Built-in profiles cannot be renamed; duplicate one to make your own.</source>
        <translation>内置配置不能重命名；请创建副本作为自己的配置。</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileMerge</name>
    <message>
        <location filename="../app/profiles/profilemerge.cpp" line="+34"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headers</source>
        <translation>标头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subprotocols</source>
        <translation>子协议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handshake timeout</source>
        <translation>握手超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Origin</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP_NODELAY</source>
        <translation>TCP_NODELAY</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>permessage-deflate</source>
        <translation>permessage-deflate 压缩扩展</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deflate offer</source>
        <translation>压缩扩展提议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compress outgoing</source>
        <translation>压缩发出的消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auto-reconnect</source>
        <translation>自动重连</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep-alive ping</source>
        <translation>心跳 Ping</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify certificates</source>
        <translation>验证证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Private key</source>
        <translation>私钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key passphrase</source>
        <translation>私钥口令</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Pinned certificates</source>
        <translation>已固定的证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maximum message size</source>
        <translation>最大消息大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolve</source>
        <translation>解析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mini-program check</source>
        <translation>小程序检查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lenient protocol checks</source>
        <translation>宽松的协议检查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved messages</source>
        <translation>已存消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send history</source>
        <translation>发送历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other settings</source>
        <translation>其他设置</translation>
    </message>
</context>
<context>
    <name>wsi::ProfilePanel</name>
    <message>
        <location filename="../ui/profiles/profilepanel.cpp" line="+56"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a profile</source>
        <translation>添加连接配置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy the selected profile</source>
        <translation>为所选配置创建副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rename the selected profile (F2)</source>
        <translation>重命名所选配置（F2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected profile</source>
        <translation>删除所选配置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add profiles from a JSON file</source>
        <translation>从 JSON 文件添加配置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save your profiles to a JSON file</source>
        <translation>将您的配置保存到 JSON 文件</translation>
    </message>
    <message>
        <location line="+186"/>
        <source>New profile</source>
        <translation>新配置</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Built-in profiles cannot be deleted.</source>
        <translation>内置配置不能删除。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bring back &quot;%1&quot;</source>
        <translation>恢复“%1”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted profile &quot;%1&quot; (Undo delete brings it back).</source>
        <translation>已删除配置“%1”（“撤销删除”可将其恢复）。</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+11"/>
        <source>Import profiles</source>
        <translation>导入连接配置</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Profile sets (*.json);;All files (*)</source>
        <translation>配置集 (*.json);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>Imported %n profile(s).</source>
        <translation>
            <numerusform>已导入 %n 个配置。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>There are no saved profiles to export (built-in ones are always available).</source>
        <translation>没有可导出的已保存配置（内置配置始终可用）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+5"/>
        <source>Export profiles</source>
        <translation>导出连接配置</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Profile sets (*.json)</source>
        <translation>配置集 (*.json)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Some profiles hold secrets (secret header values, proxy password, key passphrase). Include them in the exported file?

Anyone who gets the file can read them.</source>
        <translation>部分配置包含机密信息（保密标头的值、代理密码、私钥口令）。要将它们包含在导出的文件中吗？

任何拿到该文件的人都能读取这些信息。</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Exported %n profile(s) with their secrets.</source>
        <translation>
            <numerusform>已导出 %n 个配置（包含机密信息）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Exported %n profile(s) without secrets.</source>
        <translation>
            <numerusform>已导出 %n 个配置（不含机密信息）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>wsi::ProfileRepository</name>
    <message>
        <location filename="../app/profiles/profilerepository.cpp" line="+78"/>
        <source>New profile</source>
        <translation>新配置</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Built-in profiles cannot be renamed; duplicate one to make your own.</source>
        <translation>内置配置不能重命名；请创建副本作为自己的配置。</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileStore</name>
    <message>
        <location filename="../app/profiles/profilestore.cpp" line="+41"/>
        <location line="+7"/>
        <location line="+6"/>
        <source>Cannot write &quot;%1&quot;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>No system keychain is available</source>
        <translation>没有可用的系统密钥环</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: secrets (secret header values, proxy password, key passphrase) are stored in %2, readable only by you (file mode 0600).</source>
        <translation>%1：机密信息（保密标头的值、代理密码、私钥口令）存储在 %2 中，仅您本人可读（文件权限 0600）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The profile file &quot;%1&quot; is %2 and could not be moved aside; it is left untouched and profiles will not be saved this session.</source>
        <translation>配置文件“%1”%2，且无法移到别处；该文件保持原样，本次运行期间不会保存配置。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>from a newer version</source>
        <translation>来自更新的版本</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The profile file was damaged and has been moved to &quot;%1&quot;; starting with no saved profiles.</source>
        <translation>配置文件已损坏，已移至“%1”；本次将以空的配置列表启动。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile file was written by a newer version of WebSocket Inspector and has been moved to &quot;%1&quot;; starting with no saved profiles.</source>
        <translation>配置文件由更新版本的 WebSocket Inspector 写入，已移至“%1”；本次将以空的配置列表启动。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cannot read the profile file &quot;%1&quot;: %2</source>
        <translation>无法读取配置文件“%1”：%2</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Profiles are not saved: the profile file &quot;%1&quot; is kept untouched.</source>
        <translation>配置未保存：配置文件“%1”保持原样。</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; is not valid JSON: %2 at byte %3.</source>
        <translation>“%1”不是有效的 JSON：%2（位于字节 %3）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; holds no profiles (no &quot;profiles&quot; list).</source>
        <translation>“%1”中没有配置（缺少 &quot;profiles&quot; 列表）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;%1&quot; was written by a newer version of WebSocket Inspector (schema %2; this one reads %3).</source>
        <translation>“%1”由更新版本的 WebSocket Inspector 写入（格式版本 %2；当前版本只能读取 %3）。</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileValidator</name>
    <message>
        <location filename="../app/profiles/profilevalidator.cpp" line="+32"/>
        <source>%1 &quot;%2&quot; does not exist.</source>
        <translation>%1“%2”不存在。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 &quot;%2&quot; is a folder, not a file.</source>
        <translation>%1“%2”是文件夹，不是文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 &quot;%2&quot; cannot be read: %3</source>
        <translation>无法读取%1“%2”：%3</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>URL &quot;%1&quot; has an unclosed &quot;[&quot;: an IPv6 address goes between [ and ], as in ws://[::1]:8080/.</source>
        <translation>URL“%1”中的“[”没有闭合：IPv6 地址要写在 [ 和 ] 之间，例如 ws://[::1]:8080/。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>URL &quot;%1&quot; has &quot;%2&quot; after the IPv6 address: only a colon and a port may follow &quot;]&quot;, as in ws://[::1]:8080/.</source>
        <translation>URL“%1”在 IPv6 地址后面有“%2”：“]”后面只能跟冒号和端口，例如 ws://[::1]:8080/。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>URL &quot;%1&quot; has a colon but no port after it: add the port (as in :8080) or remove the colon.</source>
        <translation>URL“%1”有冒号但后面没有端口：请补上端口（例如 :8080），或删除冒号。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>URL port &quot;%1&quot; is not a number: use digits only, a port from 1 to 65535.</source>
        <translation>URL 端口“%1”不是数字：请只用数字，端口范围为 1 到 65535。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&quot;%1&quot; has a colon but no port after it: type the port, as in %2:8080, or remove the colon.</source>
        <translation>“%1”有冒号但后面没有端口：请输入端口，例如 %2:8080，或删除冒号。</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Close code %1 is reserved and must not be sent in a close frame.</source>
        <translation>关闭码 %1 为保留值，不得在关闭帧中发送。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close code 1015 is reserved for TLS failures and must not be sent in a close frame.</source>
        <translation>关闭码 1015 保留用于表示 TLS 失败，不得在关闭帧中发送。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close code %1 is not allowed: use 1000-1003, 1007-1014 or 3000-4999.</source>
        <translation>不允许使用关闭码 %1：请使用 1000-1003、1007-1014 或 3000-4999。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Close reason is %1 bytes in UTF-8; a close frame holds at most 123.</source>
        <translation>关闭原因的 UTF-8 编码为 %1 字节；关闭帧最多容纳 123 字节。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ping payload is %1 bytes; a control frame holds at most 125.</source>
        <translation>Ping 负载为 %1 字节；控制帧最多容纳 125 字节。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Profile name is empty: give the profile a name.</source>
        <translation>配置名称为空：请为配置命名。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Profile name &quot;%1&quot; is already used by another profile.</source>
        <translation>配置名称“%1”已被另一个配置使用。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Header &quot;%1&quot; is refused: the handshake sets Host from the URL, and Qt would send a second copy.</source>
        <translation>标头“%1”被拒绝：握手会根据 URL 自动设置 Host，在此添加会导致 Qt 发送重复的标头。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Header &quot;%1&quot; is refused: the WebSocket handshake sets it itself, and Qt would send a second copy.</source>
        <translation>标头“%1”被拒绝：WebSocket 握手会自动设置该标头，在此添加会导致 Qt 发送重复的标头。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Header &quot;%1&quot; is refused: it belongs to the server&apos;s response, not to a client request.</source>
        <translation>标头“%1”被拒绝：它属于服务器的响应，而不属于客户端请求。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Header &quot;%1&quot; is refused: the server would compress frames this client cannot read, and the connection would fail with close code 1002.</source>
        <translation>标头“%1”被拒绝：服务器会压缩帧，而本客户端无法读取压缩帧，连接将以关闭码 1002 失败。</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+49"/>
        <source>URL is empty: enter a ws:// or wss:// address.</source>
        <translation>URL 为空：请输入 ws:// 或 wss:// 地址。</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>&quot;%1&quot; is not a built-in server: use builtin:echo, builtin:chat or builtin:push.</source>
        <translation>“%1”不是内置服务器：请使用 builtin:echo、builtin:chat 或 builtin:push。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&quot;%1&quot; has no scheme: taken as %2 (type wss:// in front for TLS).</source>
        <translation>“%1”没有协议：按 %2 处理（使用 TLS 请在前面输入 wss://）。</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>URL port &quot;%1&quot; is out of range: use a port from 1 to 65535.</source>
        <translation>URL 端口“%1”超出范围：请使用 1 到 65535 之间的端口。</translation>
    </message>
    <message>
        <location line="+222"/>
        <source>URL scheme %1:// was changed to %2://.</source>
        <translation>URL 协议 %1:// 已改为 %2://。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>URL &quot;%1&quot; has no scheme: start it with ws:// or wss://.</source>
        <translation>URL“%1”缺少协议：请以 ws:// 或 wss:// 开头。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL scheme &quot;%1&quot; is not supported: use ws:// or wss://.</source>
        <translation>不支持 URL 协议“%1”：请使用 ws:// 或 wss://。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>URL &quot;%1&quot; has no host: write it after two slashes, as in %2://127.0.0.1:8080/.</source>
        <translation>URL“%1”缺少主机：请把主机写在两个斜杠之后，例如 %2://127.0.0.1:8080/。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>URL has a query but no path: the path &quot;/&quot; was added.</source>
        <translation>URL 有查询参数但没有路径：已添加路径“/”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>URL fragment &quot;#%1&quot; is never sent to the server and was removed.</source>
        <translation>URL 中的片段标识符“#%1”永远不会发送给服务器，已将其移除。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Header %1 has no name.</source>
        <translation>第 %1 个标头没有名称。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Header %1 name &quot;%2&quot; is not a valid HTTP token: use letters, digits and !#$%&amp;&apos;*+-.^_`|~ (no spaces, colons or other separators).</source>
        <translation>第 %1 个标头的名称“%2”不是有效的 HTTP token：请使用字母、数字和 !#$%&amp;&apos;*+-.^_`|~（不能有空格、冒号或其他分隔符）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Header &quot;%1&quot; value contains a line break (CR or LF): it would inject extra header lines.</source>
        <translation>标头“%1”的值包含换行符（CR 或 LF）：这会注入额外的标头行。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>(no name)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Header &quot;%1&quot; value contains a NUL character, which HTTP does not allow.</source>
        <translation>标头“%1”的值包含 NUL 字符，HTTP 不允许这样做。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Header Sec-WebSocket-Protocol was moved into the subprotocol list: %1.</source>
        <translation>Sec-WebSocket-Protocol 标头已移入子协议列表：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(no names)</source>
        <translation>（无名称）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Subprotocol %1 is empty.</source>
        <translation>第 %1 个子协议为空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Subprotocol &quot;%1&quot; is not a valid token: no spaces, commas or other separators.</source>
        <translation>子协议“%1”不是有效的 token：不能含有空格、逗号或其他分隔符。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Subprotocol &quot;%1&quot; is listed twice.</source>
        <translation>子协议“%1”重复列出。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Handshake timeout %1 ms is out of range: use 100 ms to 600000 ms (10 minutes).</source>
        <translation>握手超时 %1 ms 超出范围：请使用 100 ms 到 600000 ms（10 分钟）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep-alive interval %1 ms is out of range: use 0 (off) or 100 ms to 3600000 ms (1 hour).</source>
        <translation>心跳间隔 %1 ms 超出范围：请使用 0（关闭）或 100 ms 到 3600000 ms（1 小时）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Maximum message size %1 bytes is out of range: use 1 to %2 bytes.</source>
        <translation>最大消息大小 %1 字节超出范围：请使用 1 到 %2 字节。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Origin &quot;%1&quot; is not a valid origin: use scheme://host[:port] without a path, e.g. https://example.com.</source>
        <translation>Origin“%1”不是有效的源（origin）：请使用不带路径的 scheme://host[:port]，例如 https://example.com。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Proxy host is empty: a %1 proxy needs a host name or address.</source>
        <translation>代理主机为空：%1 代理需要主机名或地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Proxy host &quot;%1&quot; is not a host name or address.</source>
        <translation>代理主机“%1”不是主机名或地址。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proxy port is 0: a %1 proxy needs a port from 1 to 65535.</source>
        <translation>代理端口为 0：%1 代理需要 1 到 65535 之间的端口。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Resolve entry &quot;%1&quot; does not match the URL&apos;s host and port (%2:%3), so it is not used.</source>
        <translation>解析条目“%1”与 URL 的主机和端口（%2:%3）不匹配，因此不会使用。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CA file &quot;%1&quot; holds no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation>CA 文件“%1”中没有 PEM 证书（-----BEGIN CERTIFICATE-----）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Client certificate file</source>
        <translation>客户端证书文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Client certificate file &quot;%1&quot; holds no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation>客户端证书文件“%1”中没有 PEM 证书（-----BEGIN CERTIFICATE-----）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A client certificate is set but no key file: choose the certificate&apos;s private key (PEM).</source>
        <translation>已设置客户端证书，但没有私钥文件：请选择该证书的私钥（PEM）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Key file</source>
        <translation>私钥文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key file &quot;%1&quot; holds no PEM private key (-----BEGIN PRIVATE KEY-----).</source>
        <translation>私钥文件“%1”中没有 PEM 私钥（-----BEGIN PRIVATE KEY-----）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A key file is set but no client certificate: choose the certificate (PEM).</source>
        <translation>已设置私钥文件，但没有客户端证书：请选择证书（PEM）。</translation>
    </message>
</context>
<context>
    <name>wsi::PushPollChart</name>
    <message>
        <location filename="../ui/server/pushpollview.cpp" line="+202"/>
        <source>Bytes on the wire over time (both directions)</source>
        <translation>实际传输的字节数随时间变化（双向）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source> B</source>
        <translation> B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>wsi::PushPollView</name>
    <message>
        <location line="-187"/>
        <source>&amp;Long polling (the server holds each request until an event)</source>
        <translation>长轮询(&amp;L)（服务器保留每个请求，直到有事件）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+100"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location line="-92"/>
        <location line="+5"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>An event every:</source>
        <translation>事件间隔：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Poll every:</source>
        <translation>轮询间隔：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WebSocket push</source>
        <translation>WebSocket 推送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP polling</source>
        <translation>HTTP 轮询</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Requests made</source>
        <translation>发出的请求</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bytes sent (headers included)</source>
        <translation>发送字节数（含头部）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bytes received (headers included)</source>
        <translation>接收字节数（含头部）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Events delivered</source>
        <translation>送达的事件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency, median</source>
        <translation>延迟，中位数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency, 95th percentile</source>
        <translation>延迟，第 95 百分位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Latency, max</source>
        <translation>延迟，最大值</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>After %n second(s): polling used %1 requests and %2× the bytes of push for the same events.</source>
        <translation>
            <numerusform>%n 秒后：对于相同的事件，轮询发出了 %1 个请求，字节数是推送的 %2 倍。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Start runs a WebSocket push and an HTTP poller against the same events on a server of their own (127.0.0.1).</source>
        <translation>“开始”会在一个专用服务器（127.0.0.1）上，针对相同的事件同时运行 WebSocket 推送和 HTTP 轮询。</translation>
    </message>
</context>
<context>
    <name>wsi::PushProbe</name>
    <message>
        <location filename="../app/server/pushpollprobes.cpp" line="-141"/>
        <source>Push: %1</source>
        <translation>推送：%1</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Push: the server answered &quot;%1&quot;.</source>
        <translation>推送：服务器回答“%1”。</translation>
    </message>
</context>
<context>
    <name>wsi::QrCode</name>
    <message>
        <location filename="../app/server/qrcode.cpp" line="+13"/>
        <source>No QR code for &quot;%1&quot;: the text is too long.</source>
        <translation>无法为“%1”生成二维码：文本太长。</translation>
    </message>
</context>
<context>
    <name>wsi::ReplayDialog</name>
    <message>
        <location filename="../ui/capture/replaydialog.cpp" line="+51"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replay connection %1</source>
        <translation>重放连接 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Name: value, one per line</source>
        <translation>名称: 值，每行一个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each message after the previous answer</source>
        <translation>每条消息在上一条应答之后发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded timing</source>
        <translation>按录制的时间间隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As fast as possible</source>
        <translation>尽快发送</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>JSON pointers to leave out, one per line: /timestamp, /items/*/id</source>
        <translation>要忽略的 JSON 指针，每行一个：/timestamp、/items/*/id</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Regular expressions blanked in strings, one per line</source>
        <translation>在字符串中抹去的正则表达式，每行一个</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headers</source>
        <translation>标头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subprotocols</source>
        <translation>子协议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pacing</source>
        <translation>节奏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ignore fields</source>
        <translation>忽略字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ignore text</source>
        <translation>忽略文本</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n client message(s) to send</source>
        <translation>
            <numerusform>要发送 %n 条客户端消息</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n recorded answer(s) to compare</source>
        <translation>
            <numerusform>要比较 %n 条录制的应答</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recorded</source>
        <translation>录制时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Enter the URL to replay to.</source>
        <translation>请输入要重放到的 URL。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Header line &quot;%1&quot; has no name: write it as Name: value.</source>
        <translation>标头行“%1”没有名称：请写成 名称: 值。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Replaying to %1…</source>
        <translation>正在重放到 %1…</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Sent %1 of %2, %n answer(s) so far…</source>
        <translation>
            <numerusform>已发送 %1/%2 条，目前收到 %n 条应答…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The replay failed: %1</source>
        <translation>重放失败：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>All %n answer(s) match the recording.</source>
        <translation>
            <numerusform>全部 %n 条应答与录制一致。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n answer(s) differ from the recording</source>
        <translation>
            <numerusform>%n 条应答与录制不同</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source> (%n compared).</source>
        <translation>
            <numerusform>（共比较 %n 条）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+1"/>
        <location line="+35"/>
        <location line="+1"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>same</source>
        <translation>相同</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Recorded:</source>
        <translation>录制时：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Now:</source>
        <translation>现在：</translation>
    </message>
</context>
<context>
    <name>wsi::Replayer</name>
    <message>
        <location filename="../app/capture/replayer.cpp" line="+31"/>
        <source>Replay</source>
        <translation>重放</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Replay cancelled.</source>
        <translation>重放已取消。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The connection failed.</source>
        <translation>连接失败。</translation>
    </message>
    <message>
        <location line="+155"/>
        <source>Replay finished.</source>
        <translation>重放结束。</translation>
    </message>
</context>
<context>
    <name>wsi::RsvRules</name>
    <message>
        <location filename="../app/deflate/rsvrules.cpp" line="+29"/>
        <source>RSV1 set on a %1 frame although permessage-deflate was not negotiated (RFC 6455 §5.2)</source>
        <translation>%1 帧设置了 RSV1，但并未协商 permessage-deflate（RFC 6455 §5.2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RSV1 set on a %1 frame: control frames are never compressed (RFC 7692 §6.1)</source>
        <translation>%1 帧设置了 RSV1：控制帧从不压缩（RFC 7692 §6.1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RSV1 set on a continuation frame: only the first frame of a compressed message carries it (RFC 7692 §6.1)</source>
        <translation>延续帧设置了 RSV1：只有压缩消息的第一帧才设置该位（RFC 7692 §6.1）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>RSV2 or RSV3 set on a %1 frame: no negotiated extension defines them (RFC 6455 §5.2)</source>
        <translation>%1 帧设置了 RSV2 或 RSV3：已协商的扩展都没有定义这两位（RFC 6455 §5.2）</translation>
    </message>
</context>
<context>
    <name>wsi::SavedMessagesWidget</name>
    <message>
        <location filename="../ui/send/savedmessageswidget.cpp" line="+34"/>
        <source>Save current</source>
        <translation>保存当前消息</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the message in the editor as a named snippet</source>
        <translation>将编辑器中的消息保存为命名片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Put the selected snippet into the editor (double-click works too)</source>
        <translation>将所选片段放入编辑器（也可双击）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rename the selected snippet (F2)</source>
        <translation>重命名所选片段（F2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected snippet</source>
        <translation>删除所选片段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>↑</source>
        <translation>↑</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>↓</source>
        <translation>↓</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>wsi::SecretVault</name>
    <message>
        <location filename="../app/profiles/secretvault.cpp" line="+71"/>
        <source>The system keychain could not be read: %1</source>
        <translation>无法读取系统密钥环：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The system keychain could not store a secret: %1</source>
        <translation>系统密钥环无法存储机密信息：%1</translation>
    </message>
</context>
<context>
    <name>wsi::SendPanel</name>
    <message>
        <location filename="../ui/send/sendpanel.cpp" line="+81"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+117"/>
        <location line="+478"/>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="-592"/>
        <source>compress</source>
        <translation>压缩</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+124"/>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <location line="-121"/>
        <location line="+126"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="-123"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Binary (hex)</source>
        <translation>二进制（十六进制）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Binary (base64)</source>
        <translation>二进制（base64）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Binary (file)</source>
        <translation>二进制（文件）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+350"/>
        <source>Pretty</source>
        <translation>美化</translation>
    </message>
    <message>
        <location line="-348"/>
        <source>Switch the JSON between pretty and compact (keeps key order)</source>
        <translation>在美化和压缩之间切换 JSON（保持键的顺序）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved</source>
        <translation>已存消息</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the saved messages of this profile</source>
        <translation>显示此配置的已存消息</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File to send as one binary message</source>
        <translation>要作为一条二进制消息发送的文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type a message; Ctrl+Enter sends it, Up/Down browse the history.
Placeholders: {{timestamp}} {{iso8601}} {{uuid}} {{counter}} {{random:N}}</source>
        <translation>输入消息；Ctrl+Enter 发送，↑/↓ 键浏览历史记录。
占位符：{{timestamp}} {{iso8601}} {{uuid}} {{counter}} {{random:N}}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Send the message (Ctrl+Enter)</source>
        <translation>发送消息（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>until stopped</source>
        <translation>直到停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> ×</source>
        <translation> 次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many times to send (0 = until you press Stop)</source>
        <translation>发送次数（0 = 直到按下“停止”）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>every </source>
        <translation>每 </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When permessage-deflate was negotiated: compress the next messages (RFC 7692 lets a client send any message uncompressed). Without deflate it changes nothing.</source>
        <translation>已协商 permessage-deflate 压缩扩展时：压缩接下来发送的消息（RFC 7692 允许客户端不压缩任意一条消息）。未协商时此项不起作用。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Qt default (512 KiB)</source>
        <translation>Qt 默认值（512 KiB）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split the next messages into frames of this many bytes, to watch continuation frames</source>
        <translation>将之后的消息按此字节数拆分为多个帧，以便观察延续帧</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ping payload (≤ 125 bytes)</source>
        <translation>Ping 负载（≤ 125 字节）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A standard code, or type 3000-3999 (registered) or 4000-4999 (private)</source>
        <translation>选择标准关闭码，或输入 3000-3999（已注册）或 4000-4999（私有）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reason (≤ 123 bytes)</source>
        <translation>原因（≤ 123 字节）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Send a file</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save message</source>
        <translation>保存消息</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>not a file</source>
        <translation>不是文件</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Send anyway?</source>
        <translation>仍要发送吗？</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Preview: %1</source>
        <translation>预览：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Invalid JSON: %1</source>
        <translation>JSON 无效：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cannot reformat: invalid JSON: %1</source>
        <translation>无法重新格式化：JSON 无效：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Compact</source>
        <translation>压缩</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Sent %1.</source>
        <translation>已发送 %1。</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+185"/>
        <location line="+42"/>
        <source>No session: connect first.</source>
        <translation>没有会话：请先连接。</translation>
    </message>
    <message>
        <location line="-223"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Not sent.</source>
        <translation>未发送。</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>Sent %1 in %2 frames of ≤ %n byte(s).</source>
        <translation>
            <numerusform>已发送 %1，分为 %2 个帧，每帧 ≤ %n 字节。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+140"/>
        <source>Not connected: nothing was sent.</source>
        <translation>未连接：未发送任何内容。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sent %1 / %2</source>
        <translation>已发送 %1 / %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sent %1</source>
        <translation>已发送 %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No ping was sent.</source>
        <translation>未发送 Ping。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ping sent.</source>
        <translation>已发送 Ping。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ping sent with %1.</source>
        <translation>已发送 Ping，负载 %1。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&quot;%1&quot; is not a close code: pick one from the list or type a number.</source>
        <translation>“%1”不是关闭码：请从列表中选择或输入数字。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Close %1 sent.</source>
        <translation>已发送关闭码 %1。</translation>
    </message>
    <message>
        <location line="-278"/>
        <source>Nothing was sent.</source>
        <translation>未发送任何内容。</translation>
    </message>
</context>
<context>
    <name>wsi::ServeCommand</name>
    <message>
        <location filename="../app/cli/servecommand.cpp" line="+34"/>
        <source>--listen &quot;%1&quot;: the IPv6 address has no closing ].</source>
        <translation>--listen “%1”：IPv6 地址缺少右方括号 ]。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--listen &quot;%1&quot;: &quot;%2&quot; is not a port (0-65535).</source>
        <translation>--listen “%1”：“%2”不是端口（0-65535）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>--listen &quot;%1&quot;: &quot;%2&quot; is not an IP address of this machine (use 0.0.0.0 for all interfaces).</source>
        <translation>--listen “%1”：“%2”不是本机的 IP 地址（所有网络接口请用 0.0.0.0）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>--listen needs ADDR:PORT, e.g. --listen 0.0.0.0:8080.</source>
        <translation>--listen 需要 地址:端口，例如 --listen 0.0.0.0:8080。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>--max-clients needs a number from 1 to 100000.</source>
        <translation>--max-clients 需要 1 到 100000 之间的数字。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--serve does not take &quot;%1&quot; (only --listen ADDR:PORT and --max-clients N).</source>
        <translation>--serve 不接受“%1”（只接受 --listen 地址:端口 和 --max-clients N）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>WebSocket Inspector classroom server on %1 port %2</source>
        <translation>WebSocket Inspector 课堂服务器，地址 %1，端口 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only this machine can connect (loopback). For a class: --listen 0.0.0.0:%1</source>
        <translation>只有本机可以连接（回环）。用于课堂：--listen 0.0.0.0:%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Warning: every machine on the network can reach this server.</source>
        <translation>警告：网络上的每台机器都能访问此服务器。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Students open:</source>
        <translation>学生打开：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WebSocket: %1 (also /chat?name=NAME, /push?interval=MS&amp;count=N&amp;size=BYTES, ?format=text)</source>
        <translation>WebSocket：%1（还有 /chat?name=名字、/push?interval=毫秒&amp;count=条数&amp;size=字节、?format=text）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Polling: %1</source>
        <translation>轮询：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+C stops the server.</source>
        <translation>按 Ctrl+C 停止服务器。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server stopped.</source>
        <translation>服务器已停止。</translation>
    </message>
</context>
<context>
    <name>wsi::ServerClientModel</name>
    <message>
        <location filename="../app/server/serverclientmodel.cpp" line="+69"/>
        <source>Not compressed</source>
        <translation>未压缩</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Compressed: %1</source>
        <translation>已压缩：%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User agent</source>
        <translation>用户代理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connected since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In</source>
        <translation>收</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out</source>
        <translation>发</translation>
    </message>
</context>
<context>
    <name>wsi::ServerPanel</name>
    <message>
        <location filename="../ui/server/serverpanel.cpp" line="+25"/>
        <source>&amp;Start server</source>
        <translation>启动服务器(&amp;S)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Listen on:</source>
        <translation>监听：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>⚠ Everyone on this network can reach this server and its chat.</source>
        <translation>⚠ 此网络上的每个人都能访问此服务器及其聊天室。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This computer only (127.0.0.1)</source>
        <translation>仅本机（127.0.0.1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All interfaces (students can connect)</source>
        <translation>所有网络接口（学生可以连接）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only %1 (%2)</source>
        <translation>仅 %1（%2）</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Server started on port %1.</source>
        <translation>服务器已在端口 %1 上启动。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Server on port %1 stopped.</source>
        <translation>端口 %1 上的服务器已停止。</translation>
    </message>
</context>
<context>
    <name>wsi::ServerView</name>
    <message>
        <location filename="../ui/server/serverview.cpp" line="+47"/>
        <source>&amp;Disconnect</source>
        <translation>断开(&amp;D)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only this computer can connect: %1
To let students in, start a server on all interfaces or on one interface.</source>
        <translation>只有本机可以连接：%1
要让学生连接，请在所有网络接口或某一个接口上启动服务器。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Students scan this to open %1</source>
        <translation>学生扫描此码即可打开 %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>WebSocket: %1 — also /chat?name=NAME, /push?interval=MS, GET /poll</source>
        <translation>WebSocket：%1 — 还有 /chat?name=名字、/push?interval=毫秒、GET /poll</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Close the selected client&apos;s connection (code 1008)</source>
        <translation>关闭所选客户端的连接（关闭码 1008）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy address</source>
        <translation>复制地址(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop server</source>
        <translation>停止服务器(&amp;S)</translation>
    </message>
</context>
<context>
    <name>wsi::Session</name>
    <message>
        <location filename="../app/session/session.cpp" line="+35"/>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closing</source>
        <translation>正在关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+11"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not sent: %1 MiB of earlier messages are still waiting to reach the server (which is not reading, or the connection is slow); at most %2 MiB may wait.</source>
        <translation>未发送：之前的消息还有 %1 MiB 在等待送达服务器（服务器没有读取，或连接较慢）；最多只能有 %2 MiB 在等待。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not connected: the ping was not sent.</source>
        <translation>未连接：Ping 未发送。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Closing with code %1</source>
        <translation>正在关闭，关闭码 %1</translation>
    </message>
</context>
<context>
    <name>wsi::SessionView</name>
    <message>
        <location filename="../ui/session/sessionview.cpp" line="+60"/>
        <location line="+397"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="-396"/>
        <location line="+246"/>
        <source>Record…</source>
        <translation>录制…</translation>
    </message>
    <message>
        <location line="-235"/>
        <source>Mini-program check</source>
        <translation>小程序检查</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ws://host:port/path, wss://…, host:port or builtin:echo</source>
        <translation>ws://主机:端口/路径、wss://…、主机:端口 或 builtin:echo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The address to connect to. Enter connects, or reconnects after a change.</source>
        <translation>要连接的地址。按 Enter 连接；地址改动后按 Enter 重连。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save as profile…</source>
        <translation>另存为连接配置…</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+82"/>
        <source>Show certificate…</source>
        <translation>查看证书…</translation>
    </message>
    <message>
        <location line="-49"/>
        <location line="+287"/>
        <source>Show the details over the whole tab (F10)</source>
        <translation>让详情占满整个标签页（F10）</translation>
    </message>
    <message>
        <location line="-284"/>
        <source>Payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mini program</source>
        <translation>小程序</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connect once more and check this server against the WeChat mini-program rules for wx.connectSocket</source>
        <translation>再连接一次，按微信小程序 wx.connectSocket 的规则检查此服务器</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+428"/>
        <source>Connecting to %1 instead.</source>
        <translation>改为连接 %1。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Profiles cannot be saved here.</source>
        <translation>此处无法保存连接配置。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>the Settings page shows a problem.</source>
        <translation>“设置”页上有问题。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This connection cannot be saved as a profile yet: %1</source>
        <translation>此连接暂时无法保存为连接配置：%1</translation>
    </message>
    <message>
        <location line="+141"/>
        <source>Reconnect with these settings</source>
        <translation>按这些设置重新连接</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Save as profile</source>
        <translation>另存为连接配置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Profile name:</source>
        <translation>配置名称：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Saved as profile &quot;%1&quot;.</source>
        <translation>已保存为连接配置“%1”。</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>This certificate is trusted in this tab only. Save the connection as a profile to keep the trust after a restart.</source>
        <translation>此证书仅在本标签页中受信任。把连接另存为连接配置，重启后仍会信任。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This connection&apos;s headers, subprotocols, timeout, TLS and proxy; Save as profile keeps them</source>
        <translation>此连接的标头、子协议、超时、TLS 与代理；另存为连接配置即可保留</translation>
    </message>
    <message>
        <location line="-602"/>
        <location line="+102"/>
        <source>Record every event of this session to a capture file (JSON Lines)</source>
        <translation>将此会话的每个事件录制到捕获文件（JSON Lines）</translation>
    </message>
    <message>
        <location line="-212"/>
        <source>See the server&apos;s certificate and why it was refused; you can trust it there</source>
        <translation>查看服务器证书及其被拒绝的原因；可在那里信任它</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Record to capture file</source>
        <translation>录制到捕获文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Capture files (*.jsonl);;All files (*)</source>
        <translation>捕获文件 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+87"/>
        <source>Recording</source>
        <translation>正在录制</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>New connection</source>
        <translation>新建连接</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Recording to %1; click to stop</source>
        <translation>正在录制到 %1；点击停止</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>In a browser, WebSocket.readyState is 0 (CONNECTING): the handshake is under way. A mini program&apos;s SocketTask has not called onOpen yet.</source>
        <translation>在浏览器中，WebSocket.readyState 为 0（CONNECTING）：握手正在进行。小程序的 SocketTask 还没有调用 onOpen。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In a browser, readyState is 1 (OPEN): both sides may send. A mini program&apos;s SocketTask has called onOpen, and send() works.</source>
        <translation>在浏览器中，readyState 为 1（OPEN）：双方都可以发送。小程序的 SocketTask 已调用 onOpen，可以使用 send()。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In a browser, readyState is 2 (CLOSING): a close frame was sent and the answer is awaited.</source>
        <translation>在浏览器中，readyState 为 2（CLOSING）：已发送关闭帧，正在等待对方回应。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In a browser, readyState is 3 (CLOSED) after an error event. A mini program&apos;s SocketTask calls onError, then onClose.</source>
        <translation>在浏览器中，发生 error 事件后 readyState 为 3（CLOSED）。小程序的 SocketTask 会先调用 onError，再调用 onClose。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In a browser, readyState is 3 (CLOSED). A mini program&apos;s SocketTask has called onClose with the close code and reason.</source>
        <translation>在浏览器中，readyState 为 3（CLOSED）。小程序的 SocketTask 已调用 onClose，并传入关闭码和关闭原因。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Show the log and the send panel again (F10)</source>
        <translation>重新显示日志和发送面板（F10）</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Cancelled by you.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 · readyState %2</source>
        <translation>%1 · readyState %2</translation>
    </message>
</context>
<context>
    <name>wsi::SingleInstance</name>
    <message>
        <location filename="../app/instance/singleinstance.cpp" line="+114"/>
        <source>The request does not start with &quot;%1&quot;.</source>
        <translation>请求不是以“%1”开头。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The request ends inside a field&apos;s length (byte %1).</source>
        <translation>请求在某个字段的长度信息中间结束（第 %1 字节）。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>A field of the request claims a length of %1, but the request ends %n byte(s) later.</source>
        <translation>
            <numerusform>请求中的一个字段声称长度为 %1，但请求在 %n 字节之后就结束了。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The request names no working folder.</source>
        <translation>请求中没有指定工作文件夹。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not lock %1 within %2 ms: opening a window of its own.</source>
        <translation>无法在 %2 ms 内锁定 %1：将单独打开一个窗口。</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+20"/>
        <source>The running window (%1) did not answer within %2 ms: opening a window of its own.</source>
        <translation>正在运行的窗口（%1）没有在 %2 ms 内响应：将单独打开一个窗口。</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Removed %1: the window that made it is no longer running.</source>
        <translation>已删除 %1：创建它的窗口已不再运行。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cannot listen on %1 (%2): later launches open windows of their own.</source>
        <translation>无法在 %1 上监听（%2）：之后启动的实例将各自打开窗口。</translation>
    </message>
</context>
<context>
    <name>wsi::SnippetGenerator</name>
    <message>
        <location filename="../app/teach/snippetgenerator.cpp" line="+59"/>
        <source>Secret header values were left out: replace each &lt;Name&gt; with the real value.</source>
        <translation>已省略保密标头的值：请把每个 &lt;Name&gt; 替换为真实的值。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>WeChat mini program: wx.connectSocket and its SocketTask.</source>
        <translation>微信小程序：wx.connectSocket 及其返回的 SocketTask。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Warning: this URL is ws://; a mini program only connects to wss://.</source>
        <translation>警告：此 URL 是 ws://，而小程序只能连接 wss://。</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Platform rules: the URL must be wss:// and its domain must be on the mini program&apos;s socket allow-list (no IP address or localhost outside development), at most %1 sockets may be open at once (%2 before base library %3).</source>
        <translation>平台规则：URL 必须是 wss://，其域名必须在小程序的 socket 合法域名列表中（开发以外不能用 IP 地址或 localhost），同时最多打开 %1 个 socket（基础库 %3 之前为 %2 个）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Base library needed: %1.</source>
        <translation>所需基础库版本：%1。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>These settings need base library %1 or newer (%2); older ones ignore them.</source>
        <translation>这些设置需要基础库 %1 或更新版本（%2）；更旧的版本会忽略它们。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>timeout: %1 ms is also the platform&apos;s default (or networkTimeout.connectSocket in app.json).</source>
        <translation>timeout：%1 ms 也是平台的默认值（或 app.json 中的 networkTimeout.connectSocket）。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The %1 header was left out: a mini program cannot set it.</source>
        <translation>已省略 %1 标头：小程序不能设置它。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Browser JavaScript: the WebSocket API.</source>
        <translation>浏览器 JavaScript：WebSocket API。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A browser cannot set handshake headers, so these were left out: %1. Send such values in the URL&apos;s query or in the first message instead.</source>
        <translation>浏览器不能设置握手标头，因此省略了：%1。请改为通过 URL 的查询参数或第一条消息发送这些值。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The browser sends the page&apos;s own Origin; it cannot be set.</source>
        <translation>浏览器会发送页面自身的 Origin，无法修改。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A browser has no handshake timeout option, and it negotiates compression (permessage-deflate) on its own.</source>
        <translation>浏览器没有握手超时选项，并且会自行协商压缩（permessage-deflate）。</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Node.js with the ws package (npm install ws).</source>
        <translation>Node.js，使用 ws 包（npm install ws）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ws always turns Nagle&apos;s algorithm off (TCP no-delay); it has no option for it.</source>
        <translation>ws 总是关闭 Nagle 算法（TCP_NODELAY），没有相应的选项。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+36"/>
        <location line="+57"/>
        <location line="+73"/>
        <source>certificate verification is off</source>
        <translation>证书验证已关闭</translation>
    </message>
    <message>
        <location line="-139"/>
        <source>Node.js with the websocket package (WebSocket-Node: npm install websocket).</source>
        <translation>Node.js，使用 websocket 包（WebSocket-Node：npm install websocket）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It has no handshake timeout option and does not negotiate permessage-deflate.</source>
        <translation>它没有握手超时选项，也不协商 permessage-deflate。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Python with the websockets package (pip install websockets; Debian: python3-websockets).</source>
        <translation>Python，使用 websockets 包（pip install websockets；Debian：python3-websockets）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>websockets always turns Nagle&apos;s algorithm off; it has no option for it.</source>
        <translation>websockets 总是关闭 Nagle 算法，没有相应的选项。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>C++ with Qt 6 WebSockets (CMake: find_package(Qt6 REQUIRED COMPONENTS WebSockets), link Qt6::WebSockets).</source>
        <translation>C++，使用 Qt 6 WebSockets（CMake：find_package(Qt6 REQUIRED COMPONENTS WebSockets)，并链接 Qt6::WebSockets）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>QWebSocket always turns Nagle&apos;s algorithm off, has no handshake timeout (a QTimer stands in) and no permessage-deflate.</source>
        <translation>QWebSocket 总是关闭 Nagle 算法，没有握手超时（用 QTimer 代替），也不支持 permessage-deflate。</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>wscat (npm install -g wscat): sends one message, waits a second, closes.</source>
        <translation>wscat（npm install -g wscat）：发送一条消息，等待一秒，然后关闭。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>websocat: sends one line as a text message and prints the answer.</source>
        <translation>websocat：把一行内容作为文本消息发送，并打印回复。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>WebSocket Inspector&apos;s terminal front end: every frame, then a clean close.</source>
        <translation>WebSocket Inspector 的终端界面：显示每一帧，然后正常关闭。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A minimal echo server in Node.js with the ws package (npm install ws).</source>
        <translation>用 Node.js 和 ws 包写的最小回显服务器（npm install ws）。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>A minimal echo server in Node.js with the websocket package (npm install websocket).</source>
        <translation>用 Node.js 和 websocket 包写的最小回显服务器（npm install websocket）。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>WeChat mini program (wx.connectSocket)</source>
        <translation>微信小程序（wx.connectSocket）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browser JavaScript</source>
        <translation>浏览器 JavaScript</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node.js: ws</source>
        <translation>Node.js：ws</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node.js: websocket (WebSocket-Node)</source>
        <translation>Node.js：websocket（WebSocket-Node）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python: websockets</source>
        <translation>Python：websockets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C++: Qt QWebSocket</source>
        <translation>C++：Qt QWebSocket</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wscat</source>
        <translation>wscat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>websocat</source>
        <translation>websocat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wsinspector --cli</source>
        <translation>wsinspector --cli</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Echo server: Node.js ws</source>
        <translation>回显服务器：Node.js ws</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Echo server: Node.js websocket</source>
        <translation>回显服务器：Node.js websocket</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Unknown snippet language &quot;%1&quot;: use one of %2.</source>
        <translation>未知的片段语言“%1”：请使用以下之一：%2。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Code can only be written for a ws:// or wss:// address, not &quot;%1&quot;.</source>
        <translation>只能为 ws:// 或 wss:// 地址生成代码，不能为“%1”生成。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Unknown snippet language.</source>
        <translation>未知的片段语言。</translation>
    </message>
</context>
<context>
    <name>wsi::TeachingCommands</name>
    <message>
        <location filename="../app/cli/teachingcommands.cpp" line="+23"/>
        <source>wsinspector: --snippet needs a ws:// or wss:// address: a built-in server runs only inside wsinspector, and its port closes when this command ends.</source>
        <translation>wsinspector：--snippet 需要 ws:// 或 wss:// 地址：内置服务器只在 wsinspector 内部运行，本命令结束时它的端口就会关闭。</translation>
    </message>
</context>
<context>
    <name>wsi::ThroughputChart</name>
    <message>
        <location filename="../ui/log/throughputchart.cpp" line="+38"/>
        <source>msg/s, last %1 s · no traffic</source>
        <translation>消息速率（条/秒，最近 %1 秒）· 无流量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>msg/s, last %1 s · peak %2</source>
        <translation>消息速率（条/秒，最近 %1 秒）· 峰值 %2</translation>
    </message>
</context>
<context>
    <name>wsi::TlsConfiguration</name>
    <message>
        <location filename="../app/wire/tlsconfiguration.cpp" line="+23"/>
        <source>%1 &quot;%2&quot; could not be read: %3</source>
        <translation>无法读取%1“%2”：%3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>CA file &quot;%1&quot; holds no PEM certificate.</source>
        <translation>CA 文件“%1”中没有 PEM 证书。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key file &quot;%1&quot; is set but no client certificate: choose the certificate (PEM).</source>
        <translation>已设置私钥文件“%1”，但没有客户端证书：请选择证书（PEM）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Client certificate file</source>
        <translation>客户端证书文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Client certificate file &quot;%1&quot; holds no PEM certificate.</source>
        <translation>客户端证书文件“%1”中没有 PEM 证书。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Key file</source>
        <translation>私钥文件</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Key file &quot;%1&quot; could not be read as a private key (wrong passphrase?).</source>
        <translation>无法读取私钥文件“%1”中的私钥（口令错误？）。</translation>
    </message>
</context>
<context>
    <name>wsi::TlsPanel</name>
    <message>
        <location filename="../ui/wire/tlspanel.cpp" line="+87"/>
        <source>Trust this certificate for this profile</source>
        <translation>在此配置中信任此证书</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Pins this certificate&apos;s SHA-256 fingerprint in the profile; other certificate problems still stop the connection.</source>
        <translation>将此证书的 SHA-256 指纹固定在配置中；其他证书问题仍会阻止连接。</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>TLS details appear here for wss:// connections.</source>
        <translation>wss:// 连接的 TLS 详情将显示在这里。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Trust this certificate in this tab</source>
        <translation>在此标签页中信任此证书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusts this certificate&apos;s SHA-256 fingerprint until the tab is closed (save the connection as a profile to keep it); other certificate problems still stop the connection.</source>
        <translation>在关闭此标签页之前信任此证书的 SHA-256 指纹（将连接另存为配置即可保留）；其他证书问题仍会阻止连接。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&lt;b&gt;%1&lt;/b&gt;, cipher %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;，加密套件 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Trusted&lt;/b&gt;: SHA-256 %1 pinned for this profile.</source>
        <translation>&lt;b&gt;已信任&lt;/b&gt;：SHA-256 %1 已在此配置中固定。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Trusted&lt;/b&gt;: SHA-256 %1 pinned in this tab only.</source>
        <translation>&lt;b&gt;已信任&lt;/b&gt;：SHA-256 %1 仅在此标签页中固定。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not verified by the usual checks: %1</source>
        <translation>未通过常规验证：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ Certificate verified&lt;/span&gt; for this host.</source>
        <translation>&lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ 证书已通过验证&lt;/span&gt;，与此主机匹配。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;span style=&apos;color:#b00020&apos;&gt;✗ Certificate not verified&lt;/span&gt;: %1</source>
        <translation>&lt;span style=&apos;color:#b00020&apos;&gt;✗ 证书未通过验证&lt;/span&gt;：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Server certificate</source>
        <translation>服务器证书</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issuer %1</source>
        <translation>颁发者 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Subject</source>
        <translation>使用者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuer</source>
        <translation>颁发者</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid from</source>
        <translation>有效期起始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alternative names</source>
        <translation>使用者可选名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
</context>
<context>
    <name>wsi::UpstreamConnector</name>
    <message>
        <location filename="../app/wire/upstreamconnector.cpp" line="+77"/>
        <source>Connecting to %1 instead of looking up %2 (resolve entry %3); Host, SNI and the certificate check still use %2.</source>
        <translation>连接到 %1，不解析 %2（解析条目 %3）；Host、SNI 和证书检查仍使用 %2。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>TLS failure: %1</source>
        <translation>TLS 失败：%1</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>TLS certificate problem ignored (verification is off): %1</source>
        <translation>已忽略 TLS 证书问题（验证已关闭）：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Certificate accepted because you pinned its SHA-256 fingerprint for this profile (%1).</source>
        <translation>已接受证书，因为您在此配置中固定了它的 SHA-256 指纹（%1）。</translation>
    </message>
</context>
<context>
    <name>wsi::WireRelay</name>
    <message>
        <location filename="../app/wire/wirerelay.cpp" line="+93"/>
        <source>This build has no TLS support, so wss:// is not available.</source>
        <translation>此版本未包含 TLS 支持，因此无法使用 wss://。</translation>
    </message>
    <message>
        <location line="+283"/>
        <source>The server broke RFC 6455 %1 (%2)</source>
        <translation>服务器违反了 RFC 6455 %1（%2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1; the inspector closed the connection with %2.</source>
        <translation>%1；检查器已以关闭码 %2 关闭连接。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lenient: %1; a client must close the connection with %2, this one answers the server&apos;s close normally and only flags it.</source>
        <translation>宽松模式：%1；客户端应以关闭码 %2 关闭连接，此连接正常回应服务器的关闭，只作标记。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lenient: %1; a client must close the connection with %2, this one stays open and only flags it.</source>
        <translation>宽松模式：%1；客户端应以关闭码 %2 关闭连接，此连接保持打开，只作标记。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 The inspector closed the connection with 1009 (message too big).</source>
        <translation>%1 检查器已以关闭码 1009（消息过大）关闭连接。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Lenient: %1 (%2: a client must fail the connection)</source>
        <translation>宽松模式：%1（%2：客户端应断开连接）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Compressing a message for the server failed: %1</source>
        <translation>为服务器压缩消息失败：%1</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Lenient: %1</source>
        <translation>宽松模式：%1</translation>
    </message>
</context>
<context>
    <name>wsi::WireTap</name>
    <message>
        <location filename="../app/wire/wiretap.cpp" line="+210"/>
        <location line="+40"/>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="-40"/>
        <location line="+40"/>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>data frame after the %1&apos;s close frame</source>
        <translation>%1在关闭帧之后发送数据帧</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message; further such frames are not noted.</source>
        <translation>
            <numerusform>%1在关闭帧之后发送了一个 %2 帧（%n 字节）；RFC 6455 §5.5.1 禁止关闭后再发送数据。它不算消息；之后的此类帧不再记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>The %1 sent a %2 frame (%n byte(s)) after its close frame; RFC 6455 §5.5.1 forbids data after close. Not a message.</source>
        <translation>
            <numerusform>%1在关闭帧之后发送了一个 %2 帧（%n 字节）；RFC 6455 §5.5.1 禁止关闭后再发送数据。它不算消息。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>text message that is not valid UTF-8</source>
        <translation>文本消息不是有效的 UTF-8</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>The connection ended in the middle of a frame header from the %1: %n byte(s) of it arrived.</source>
        <translation>
            <numerusform>连接在%1的一个帧头中途结束：只收到其中 %n 个字节。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection ended in the middle of a %1 frame from the %2: %3 of %4 of payload arrived.</source>
        <translation>连接在%2的一个 %1 帧中途结束：负载共 %4，只收到 %3。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The connection ended inside a fragmented %1 message from the %2: %n frame(s) (%3) arrived, its final frame never did.</source>
        <translation>
            <numerusform>连接在%2的一条被分片的 %1 消息中途结束：收到了 %n 帧（%3），最后一帧始终没有到达。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>binary</source>
        <translation>二进制</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The server sent a pong nobody asked for (unsolicited pongs are allowed as a heartbeat; noted once).</source>
        <translation>服务器发送了未经请求的 Pong（允许将主动 Pong 用作心跳；仅提示一次）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The client sent a pong nobody asked for (noted once).</source>
        <translation>客户端发送了未经请求的 Pong（仅提示一次）。</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <location line="+10"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add a header</source>
        <translation>添加标头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove the selected header</source>
        <translation>移除所选标头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send this header earlier</source>
        <translation>提前发送此标头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send this header later</source>
        <translation>延后发送此标头</translation>
    </message>
    <message>
        <location line="+31"/>
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
        <location line="+93"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="-62"/>
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
        <translation>立即发送小消息，而不是攒批发送（关闭 Nagle 算法）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Per-message deflate (not yet supported)</source>
        <translation>Per-message deflate 压缩（尚不支持）</translation>
    </message>
    <message>
        <location line="+20"/>
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
        <translation>保活 Ping(&amp;K)：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Max incoming message:</source>
        <translation>最大接收消息(&amp;M)：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <location line="+31"/>
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
        <source>&amp;CA file:</source>
        <translation>CA 文件(&amp;C)：</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="-66"/>
        <source>Client &amp;certificate:</source>
        <translation>客户端证书(&amp;C)：</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="+25"/>
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
        <location line="+43"/>
        <source>Show secrets</source>
        <translation>显示机密信息</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/server/builtinserver.cpp" line="+167"/>
        <source>Unknown built-in server &quot;%1&quot;: use builtin:echo, builtin:chat or builtin:push.</source>
        <translation>未知的内置服务器“%1”：请使用 builtin:echo、builtin:chat 或 builtin:push。</translation>
    </message>
    <message>
        <location line="+29"/>
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
        <location filename="../app/main.cpp" line="+156"/>
        <source>wsinspector: no display (DISPLAY and WAYLAND_DISPLAY are unset): running the terminal front end.</source>
        <translation>wsinspector：没有可用的显示（DISPLAY 和 WAYLAND_DISPLAY 均未设置）：改为运行终端前端。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>WebSocket Inspector</source>
        <translation>WebSocket Inspector</translation>
    </message>
</context>
<context>
    <name>wsi::CaptureWriter</name>
    <message>
        <location filename="../app/capture/capturewriter.cpp" line="+39"/>
        <source>Cannot write the capture file %1: %2</source>
        <translation>无法写入捕获文件 %1：%2</translation>
    </message>
</context>
<context>
    <name>wsi::CliFrontend</name>
    <message>
        <location filename="../app/cli/clifrontend.cpp" line="+66"/>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+45"/>
        <location line="+51"/>
        <location line="+35"/>
        <source>wsinspector: %1</source>
        <translation>wsinspector：%1</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>wsinspector: warning: TLS certificate verification is off (-n); anyone in the middle can read and change this connection.</source>
        <translation>wsinspector：警告：TLS 证书验证已关闭（-n）；任何中间人都能读取和篡改此连接。</translation>
    </message>
    <message>
        <location line="+16"/>
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
        <location line="+35"/>
        <source>Interrupted.</source>
        <translation>已中断。</translation>
    </message>
</context>
<context>
    <name>wsi::CliParser</name>
    <message>
        <location filename="../app/cli/clioptions.cpp" line="+70"/>
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
        <location line="+24"/>
        <source>Header &quot;%1&quot; is not of the form &quot;Name: value&quot;.</source>
        <translation>标头“%1”不符合“Name: value”格式。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>%1 file &quot;%2&quot; does not exist.</source>
        <translation>%1 文件“%2”不存在。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>--execute-file: cannot read &quot;%1&quot;: %2</source>
        <translation>--execute-file：无法读取“%1”：%2</translation>
    </message>
    <message>
        <location line="+18"/>
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
        <translation>意外的参数“%1”：只允许一个 URL。</translation>
    </message>
    <message>
        <location line="+10"/>
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
        <translation>离开</translation>
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
        <source>No Status Received</source>
        <translation>未收到状态码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abnormal Closure</source>
        <translation>异常关闭</translation>
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
        <translation>服务器内部错误</translation>
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
</context>
<context>
    <name>wsi::FrameParser</name>
    <message>
        <location filename="../app/wire/frameparser.cpp" line="+110"/>
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
        <translation>保留的 opcode 0x%1</translation>
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
        <location line="+8"/>
        <source>frame length %1 exceeds the maximum message size %2</source>
        <translation>帧长度 %1 超过最大消息大小 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Frame parsing stopped: a frame declares %1 bytes, more than the maximum message size (%2).</source>
        <translation>帧解析已停止：某个帧声明了 %1 字节，超过最大消息大小（%2）。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>continuation frame without a message to continue</source>
        <translation>延续帧没有可延续的消息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>new data frame inside a fragmented message</source>
        <translation>分片消息中出现了新的数据帧</translation>
    </message>
    <message>
        <location line="+8"/>
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
    <name>wsi::HandshakePanel</name>
    <message>
        <location filename="../ui/wire/handshakepanel.cpp" line="+33"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+3"/>
        <source>Raw</source>
        <translation>原始</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>Headers</source>
        <translation>标头</translation>
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
        <location line="+21"/>
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
        <location line="+30"/>
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
        <translation>Sec-WebSocket-Accept &lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ 与密钥匹配&lt;/span&gt;（%1）。</translation>
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
    <name>wsi::HexView</name>
    <message>
        <location filename="../ui/payload/hexview.cpp" line="+353"/>
        <source>Copy as hex</source>
        <translation>复制为 hex</translation>
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
    <name>wsi::HttpHeadParser</name>
    <message>
        <location filename="../app/wire/httpheadparser.cpp" line="+60"/>
        <source>The HTTP head is longer than %1 bytes without ending in an empty line.</source>
        <translation>HTTP 头部已超过 %1 字节，仍未以空行结束。</translation>
    </message>
    <message>
        <location line="+43"/>
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
        <location line="+11"/>
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
    <name>wsi::LogEntry</name>
    <message>
        <location filename="../app/log/logentry.cpp" line="+32"/>
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
        <location filename="../ui/log/logpanel.cpp" line="+37"/>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aa</source>
        <translation>Aa</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only matching</source>
        <translation>仅显示匹配项</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+159"/>
        <location line="+114"/>
        <source>Pause display</source>
        <translation>暂停显示</translation>
    </message>
    <message>
        <location line="-244"/>
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
        <translation>显示的最小负载</translation>
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
        <translation>显示的最大负载</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <translation>时钟时间</translation>
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
        <location line="+23"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Resume display (%1 new)</source>
        <translation>恢复显示（%1 条新消息）</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Filtering… %1 matches so far</source>
        <translation>正在筛选… 目前 %1 个匹配</translation>
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
        <translation>%1 条新消息 — 跳到最新</translation>
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
        <location filename="../ui/log/logstatspanel.cpp" line="+82"/>
        <source>In: %1 messages, %2 · Out: %3 messages, %4</source>
        <translation>接收：%1 条消息，%2 · 发送：%3 条消息，%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rate in: %1 msg/s, %2/s · out: %3 msg/s, %4/s</source>
        <translation>接收速率：%1 条/秒，%2/秒 · 发送：%3 条/秒，%4/秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ping round trip: %1 ms</source>
        <translation>Ping 往返：%1 ms</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ping round trip: –</source>
        <translation>Ping 往返：–</translation>
    </message>
</context>
<context>
    <name>wsi::LoopbackProxy</name>
    <message>
        <location filename="../app/wire/loopbackproxy.cpp" line="+56"/>
        <source>The wire relay could not listen on 127.0.0.1: %1</source>
        <translation>线路中继无法在 127.0.0.1 上监听：%1</translation>
    </message>
</context>
<context>
    <name>wsi::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="+32"/>
        <source>WebSocket Inspector</source>
        <translation>WebSocket Inspector</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Profiles</source>
        <translation>连接配置</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open selected profile</source>
        <translation>打开所选配置(&amp;O)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Session</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Disconnect</source>
        <translation>断开(&amp;D)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log &amp;memory limit…</source>
        <translation>日志内存上限(&amp;M)…</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <location line="+9"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+5"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Fix the profile&apos;s problems shown in the editor before connecting.</source>
        <translation>连接前请先修正编辑器中显示的配置问题。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No session</source>
        <translation>无会话</translation>
    </message>
</context>
<context>
    <name>wsi::MessageAssembler</name>
    <message>
        <location filename="../app/wire/messageassembler.cpp" line="+64"/>
        <source>message exceeds the maximum message size; later frames&apos; payloads are not kept</source>
        <translation>消息超过最大消息大小；后续帧的负载不再保留</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>more than %1 frames in one message; later frame headers are not kept</source>
        <translation>一条消息超过 %1 帧；之后的帧头不再保留</translation>
    </message>
</context>
<context>
    <name>wsi::MessageLogModel</name>
    <message>
        <location filename="../app/log/messagelogmodel.cpp" line="+42"/>
        <source>(no code)</source>
        <translation>（无关闭码）</translation>
    </message>
    <message>
        <location line="+85"/>
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
    <message>
        <location line="+30"/>
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
    <name>wsi::PayloadCodec</name>
    <message>
        <location filename="../app/payload/payloadcodec.cpp" line="+32"/>
        <source>Hex digit at position %1 has no partner: bytes need two digits.</source>
        <translation>位置 %1 处的 hex 数字没有配对：每个字节需要两位数字。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&quot;%1&quot; at position %2 is not a hex digit.</source>
        <translation>位置 %2 处的“%1”不是 hex 数字。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Odd number of hex digits: the digit at position %1 has no partner.</source>
        <translation>hex 数字的个数为奇数：位置 %1 处的数字没有配对。</translation>
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
    <message>
        <location line="+10"/>
        <source>Base64 has %1 characters: a length of 4n+1 cannot be decoded (a character is missing or extra).</source>
        <translation>Base64 共有 %1 个字符：长度为 4n+1 时无法解码（缺少或多出一个字符）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Base64 padding at position %1 does not complete a group of four.</source>
        <translation>位置 %1 处的 Base64 填充没有凑满一组四个字符。</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <location filename="../ui/payload/payloadview.cpp" line="+73"/>
        <source>Showing the first %1 of %2: use Hex or Save for the whole payload.</source>
        <translation>仅显示 %2 中的前 %1：查看完整负载请使用“Hex”或“保存”。</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+57"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="-56"/>
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
        <location line="+177"/>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <location line="-175"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the message (text as is, binary as hex)</source>
        <translation>复制消息（文本原样复制，二进制复制为 hex）</translation>
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
        <location line="+15"/>
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
        <translation>Hex 字节</translation>
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
        <translation>Opcode</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Masked</source>
        <translation>掩码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mask key</source>
        <translation>掩码密钥</translation>
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
        <location line="+92"/>
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
        <location line="+13"/>
        <source>No frame details (not seen on the wire).</source>
        <translation>没有帧详情（未在线路上捕获到）。</translation>
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
        <translation>“%1”不是偏移量：请输入十进制数，或 0x 加 hex 数字。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Offset %1 is past the end (the payload has %2 bytes).</source>
        <translation>偏移量 %1 超出末尾（负载共 %2 字节）。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Selected %1 bytes at 0x%2 (%3)</source>
        <translation>已选择 0x%2（%3）处的 %1 字节</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offset 0x%1 (%2) of %3 bytes</source>
        <translation>偏移量 0x%1（%2），共 %3 字节</translation>
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
    <name>wsi::Profile</name>
    <message>
        <location filename="../app/profiles/profile.cpp" line="+73"/>
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
        <location filename="../ui/profiles/profileeditor.cpp" line="+122"/>
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
        <location line="+24"/>
        <source>Select a profile to see or edit it.</source>
        <translation>选择一个连接配置以查看或编辑。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Built-in profiles are read-only: duplicate this one to make a profile you can edit.</source>
        <translation>内置配置为只读：请为其创建副本，得到可编辑的配置。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Send this header</source>
        <translation>发送此标头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Secret: kept in the keychain, masked here, left out of exports</source>
        <translation>保密：保存在钥匙串中，此处遮盖显示，导出时不包含</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer *.key);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>wsi::ProfileListModel</name>
    <message>
        <location filename="../app/profiles/profilelistmodel.cpp" line="+24"/>
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
        <location line="+22"/>
        <source>%1 (built in, read-only)</source>
        <translation>%1（内置，只读）</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>New profile</source>
        <translation>新配置</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 (copy)</source>
        <translation>%1（副本）</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Built-in profiles cannot be renamed; duplicate one to make your own.</source>
        <translation>内置配置不能重命名；请创建副本作为自己的配置。</translation>
    </message>
</context>
<context>
    <name>wsi::ProfilePanel</name>
    <message>
        <location filename="../ui/profiles/profilepanel.cpp" line="+52"/>
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
        <location line="+125"/>
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
        <translation>没有可用的系统钥匙串</translation>
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
        <translation>配置文件已损坏，已被移至“%1”；本次启动时没有已保存的配置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The profile file was written by a newer version of WebSocket Inspector and has been moved to &quot;%1&quot;; starting with no saved profiles.</source>
        <translation>配置文件由更新版本的 WebSocket Inspector 写入，已被移至“%1”；本次启动时没有已保存的配置。</translation>
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
        <location filename="../app/profiles/profilevalidator.cpp" line="+30"/>
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
        <location line="+93"/>
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
        <translation>标头“%1”被拒绝：握手会根据 URL 设置 Host，Qt 会再发送一份重复的标头。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Header &quot;%1&quot; is refused: the WebSocket handshake sets it itself, and Qt would send a second copy.</source>
        <translation>标头“%1”被拒绝：WebSocket 握手会自行设置该标头，Qt 会再发送一份重复的标头。</translation>
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
        <location line="+43"/>
        <source>URL is empty: enter a ws:// or wss:// address.</source>
        <translation>URL 为空：请输入 ws:// 或 wss:// 地址。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>URL port &quot;%1&quot; is out of range: use a port from 1 to 65535.</source>
        <translation>URL 端口“%1”超出范围：请使用 1 到 65535 之间的端口。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>URL &quot;%1&quot; is not valid: %2</source>
        <translation>URL“%1”无效：%2</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <location line="+3"/>
        <source>URL &quot;%1&quot; has no host.</source>
        <translation>URL“%1”缺少主机。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>URL has a query but no path: the path &quot;/&quot; was added.</source>
        <translation>URL 有查询参数但没有路径：已添加路径“/”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>URL fragment &quot;#%1&quot; is never sent to the server and was removed.</source>
        <translation>URL 片段“#%1”永远不会发送给服务器，已将其移除。</translation>
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
        <translation>保活间隔 %1 ms 超出范围：请使用 0（关闭）或 100 ms 到 3600000 ms（1 小时）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Maximum message size %1 bytes is out of range: use 1 to %2 bytes.</source>
        <translation>最大消息大小 %1 字节超出范围：请使用 1 到 %2 字节。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Origin &quot;%1&quot; is not a valid origin: use scheme://host[:port] without a path, e.g. https://example.com.</source>
        <translation>Origin“%1”不是有效的 origin：请使用不带路径的 scheme://host[:port]，例如 https://example.com。</translation>
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
        <location line="+6"/>
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
    <message>
        <location line="+5"/>
        <source>Per-message deflate is stored, not supported yet: the connection is made without compression.</source>
        <translation>Per-message deflate 设置已保存，但尚不支持：连接将不使用压缩。</translation>
    </message>
</context>
<context>
    <name>wsi::SavedMessagesWidget</name>
    <message>
        <location filename="../ui/send/savedmessageswidget.cpp" line="+34"/>
        <source>Save current</source>
        <translation>保存当前</translation>
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
        <translation>无法读取系统钥匙串：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The system keychain could not store a secret: %1</source>
        <translation>系统钥匙串无法存储机密信息：%1</translation>
    </message>
</context>
<context>
    <name>wsi::SendPanel</name>
    <message numerus="yes">
        <location filename="../ui/send/sendpanel.cpp" line="+67"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+103"/>
        <location line="+513"/>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="-612"/>
        <location line="+112"/>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <location line="-109"/>
        <location line="+114"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="-111"/>
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
        <translation>二进制（hex）</translation>
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
        <location line="+322"/>
        <source>Pretty</source>
        <translation>美化</translation>
    </message>
    <message>
        <location line="-320"/>
        <source>Switch the JSON between pretty and compact (keeps key order)</source>
        <translation>在美化和紧凑格式之间切换 JSON（保持键的顺序）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the saved messages of this profile</source>
        <translation>显示此配置中已保存的消息</translation>
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
        <translation>输入消息；Ctrl+Enter 发送，Up/Down 浏览历史记录。
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
        <location line="+9"/>
        <source>A standard code, or type 3000-3999 (registered) or 4000-4999 (private)</source>
        <translation>选择标准关闭码，或输入 3000-3999（已注册）或 4000-4999（私有）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason (≤ 123 bytes)</source>
        <translation>原因（≤ 123 字节）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>split into frames of</source>
        <translation>拆分为帧，每帧</translation>
    </message>
    <message>
        <location line="+55"/>
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
        <location line="+89"/>
        <source>not a file</source>
        <translation>不是文件</translation>
    </message>
    <message>
        <location line="+19"/>
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
        <translation>紧凑</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>This is not valid JSON: %1
Send it anyway?</source>
        <translation>这不是有效的 JSON：%1
仍要发送吗？</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose a file to send.</source>
        <translation>请选择要发送的文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot read %1: %2. Nothing was sent.</source>
        <translation>无法读取 %1：%2。未发送任何内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is %2. Send it as one binary message?</source>
        <translation>%1 的大小为 %2。要将其作为一条二进制消息发送吗？</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Sent %1 in %2 frames of ≤ %3 bytes.</source>
        <translation>已发送 %1，分为 %2 个帧，每帧 ≤ %3 字节。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent %1.</source>
        <translation>已发送 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+219"/>
        <location line="+42"/>
        <source>No session: connect first.</source>
        <translation>没有会话：请先连接。</translation>
    </message>
    <message>
        <location line="-257"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+132"/>
        <source>Not sent.</source>
        <translation>未发送。</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Not connected: nothing was sent.</source>
        <translation>未连接：未发送任何内容。</translation>
    </message>
    <message>
        <location line="+63"/>
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
        <location line="-351"/>
        <location line="+15"/>
        <source>Nothing was sent.</source>
        <translation>未发送任何内容。</translation>
    </message>
</context>
<context>
    <name>wsi::Session</name>
    <message>
        <location filename="../app/session/session.cpp" line="+61"/>
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
        <location line="+138"/>
        <source>Ping round trip: %1 ms</source>
        <translation>Ping 往返：%1 ms</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Connecting to %1</source>
        <translation>正在连接到 %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Open: %1</source>
        <translation>已连接：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (subprotocol %1)</source>
        <translation>（子协议 %1）</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>The connection closed before the handshake finished.</source>
        <translation>握手完成前连接已关闭。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Closed by you with code %1%2</source>
        <translation>已由您关闭，关闭码 %1%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server dropped the connection without a close frame.</source>
        <translation>服务器未发送关闭帧就断开了连接。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closed by the server with code %1%2</source>
        <translation>已由服务器关闭，关闭码 %1%2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The inspector closed the connection (code 1009, message too big): the server sent a message larger than this profile&apos;s limit of %1 bytes.</source>
        <translation>检查器关闭了连接（代码 1009，消息过大）：服务器发送的消息超过了此配置的上限 %1 字节。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The inspector closed the connection (code 1002, protocol error): the server sent a frame that breaks RFC 6455 or needs an extension Qt does not have (for example a compressed frame).</source>
        <translation>检查器关闭了连接（代码 1002，协议错误）：服务器发送的帧违反 RFC 6455，或需要 Qt 不支持的扩展（例如压缩帧）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The inspector closed the connection (code 1007): the server sent a text message that is not valid UTF-8.</source>
        <translation>检查器关闭了连接（代码 1007）：服务器发送的文本消息不是有效的 UTF-8。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The inspector closed the connection with code %1.</source>
        <translation>检查器以代码 %1 关闭了连接。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+241"/>
        <source>The server answered HTTP %1%2 instead of switching to WebSocket.</source>
        <translation>服务器返回了 HTTP %1%2，没有切换到 WebSocket。</translation>
    </message>
    <message>
        <location line="-237"/>
        <source>Host not found: %1</source>
        <translation>找不到主机：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection refused by %1 (nothing accepts connections on that port).</source>
        <translation>%1 拒绝了连接（该端口上没有程序接受连接）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection reset: %1 closed the connection.</source>
        <translation>连接被重置：%1 关闭了连接。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timed out talking to %1.</source>
        <translation>与 %1 通信超时。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network error reaching %1: %2</source>
        <translation>访问 %1 时出现网络错误：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TLS failure with %1: %2</source>
        <translation>与 %1 的 TLS 连接失败：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Proxy error: %1</source>
        <translation>代理错误：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection error %1</source>
        <translation>连接错误 %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No handshake response within %1 ms.</source>
        <translation>%1 ms 内未收到握手响应。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Reconnecting in %1 ms (attempt %2).</source>
        <translation>将在 %1 ms 后重连（第 %2 次尝试）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+8"/>
        <source>Not connected: the message was not sent.</source>
        <translation>未连接：消息未发送。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not connected: the ping was not sent.</source>
        <translation>未连接：Ping 未发送。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cancelled by you.</source>
        <translation>已由您取消。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Closing with code %1</source>
        <translation>正在关闭，关闭码 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reconnecting cancelled.</source>
        <translation>已取消重连。</translation>
    </message>
    <message>
        <location line="+121"/>
        <source>The server did not answer with HTTP: %1</source>
        <translation>服务器的应答不是 HTTP：%1</translation>
    </message>
</context>
<context>
    <name>wsi::SessionView</name>
    <message>
        <location filename="../ui/session/sessionview.cpp" line="+35"/>
        <location line="+170"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="-169"/>
        <location line="+146"/>
        <source>Record…</source>
        <translation>录制…</translation>
    </message>
    <message>
        <location line="-126"/>
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
        <location line="+27"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+91"/>
        <source>Record every event of this session to a capture file (JSON Lines)</source>
        <translation>将此会话的每个事件录制到捕获文件（JSON Lines）</translation>
    </message>
    <message>
        <location line="-87"/>
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
        <location line="+76"/>
        <source>Recording</source>
        <translation>正在录制</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Recording to %1; click to stop</source>
        <translation>正在录制到 %1；点击停止</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cancelled by you.</source>
        <translation>已由您取消。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Disconnect</source>
        <translation>断开</translation>
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
        <translation>请求在字段长度中间结束（第 %1 字节）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A field of the request claims %1 bytes but only %2 follow.</source>
        <translation>请求中的一个字段声明有 %1 字节，但后面只有 %2 字节。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The request names no working folder.</source>
        <translation>请求没有给出工作目录。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not lock %1 within %2 ms: opening a window of its own.</source>
        <translation>无法在 %2 毫秒内锁定 %1：改为打开单独的窗口。</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+20"/>
        <source>The running window (%1) did not answer within %2 ms: opening a window of its own.</source>
        <translation>正在运行的窗口（%1）在 %2 毫秒内没有应答：改为打开单独的窗口。</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Removed %1: the window that made it is no longer running.</source>
        <translation>已删除 %1：创建它的窗口已不在运行。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cannot listen on %1 (%2): later launches open windows of their own.</source>
        <translation>无法在 %1 上监听（%2）：之后的启动将各自打开窗口。</translation>
    </message>
</context>
<context>
    <name>wsi::ThroughputChart</name>
    <message>
        <location filename="../ui/log/throughputchart.cpp" line="+44"/>
        <source>msg/s, last %1 s · peak %2</source>
        <translation>条/秒，最近 %1 秒 · 峰值 %2</translation>
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
        <translation>无法将私钥文件“%1”读取为私钥（口令错误？）。</translation>
    </message>
</context>
<context>
    <name>wsi::TlsPanel</name>
    <message>
        <location filename="../ui/wire/tlspanel.cpp" line="+19"/>
        <source>Trust this certificate for this profile</source>
        <translation>在此配置中信任此证书</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pins this certificate&apos;s SHA-256 fingerprint in the profile; other certificate problems still stop the connection.</source>
        <translation>将此证书的 SHA-256 指纹固定在配置中；其他证书问题仍会阻止连接。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>TLS details appear here for wss:// connections.</source>
        <translation>wss:// 连接的 TLS 详情将显示在这里。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&lt;b&gt;%1&lt;/b&gt;, cipher %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;，加密套件 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ Certificate verified&lt;/span&gt; for this host.</source>
        <translation>&lt;span style=&apos;color:#1b7f3a&apos;&gt;✓ 证书已通过验证&lt;/span&gt;（针对此主机）。</translation>
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
        <translation>备用名称</translation>
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
        <location filename="../app/wire/upstreamconnector.cpp" line="+104"/>
        <location line="+117"/>
        <location line="+12"/>
        <source>TLS failure: %1</source>
        <translation>TLS 失败：%1</translation>
    </message>
    <message>
        <location line="-36"/>
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
        <location filename="../app/wire/wirerelay.cpp" line="+57"/>
        <source>This build has no TLS support, so wss:// is not available.</source>
        <translation>此版本未包含 TLS 支持，因此无法使用 wss://。</translation>
    </message>
</context>
<context>
    <name>wsi::WireTap</name>
    <message>
        <location filename="../app/wire/wiretap.cpp" line="+114"/>
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

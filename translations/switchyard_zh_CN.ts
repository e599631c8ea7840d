<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Switchyard</source>
            <translation>关于 Switchyard</translation>
        </message>
        <message>
            <source>Version %1 (Qt %2)</source>
            <translation>版本 %1（Qt %2）</translation>
        </message>
        <message>
            <source>One window, one set of routing rules and one cost ledger for the LLM providers your team pays for. Keys stay in your system keychain.</source>
            <translation>一个窗口、一套路由规则、一本费用账本，管理团队付费使用的所有大模型服务商。密钥始终保存在系统钥匙串中。</translation>
        </message>
        <message>
            <source>Profile: %1</source>
            <translation>配置目录：%1</translation>
        </message>
    </context>
    <context>
        <name>Attachments</name>
        <message>
            <source>%1 is not a PDF that can be read.</source>
            <translation>%1 不是可读取的 PDF。</translation>
        </message>
        <message>
            <source>%1 is protected by a password; Switchyard cannot read its text.</source>
            <translation>%1 受密码保护，Switchyard 无法读取其中的文字。</translation>
        </message>
        <message>
            <source>%1 has no text to read (it may be scanned images); attach the pages as images instead.</source>
            <translation>%1 中没有可读取的文字（可能是扫描图像）；请改为以图片形式附加这些页面。</translation>
        </message>
        <message>
            <source>%1 cannot be read.</source>
            <translation>无法读取 %1。</translation>
        </message>
        <message>
            <source>%1 is larger than 20 MB; providers refuse images that big.</source>
            <translation>%1 超过 20 MB；服务商不接受这么大的图片。</translation>
        </message>
        <message>
            <source>%1 cannot be read: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>%1 is not an image Switchyard can read.</source>
            <translation>%1 不是 Switchyard 能读取的图片。</translation>
        </message>
        <message>
            <source>%1 is a %2 file; Switchyard reads images, PDF, text and source files.</source>
            <translation>%1 是 %2 文件；Switchyard 只能读取图片、PDF、文本和源代码文件。</translation>
        </message>
        <message>
            <source>%1 is larger than 64 MB.</source>
            <translation>%1 超过 64 MB。</translation>
        </message>
        <message>
            <source>%1 looks like a binary file, not text.</source>
            <translation>%1 看起来是二进制文件，而不是文本。</translation>
        </message>
        <message>
            <source>Images, documents and source files (%1)</source>
            <translation>图片、文档和源代码文件（%1）</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>所有文件 (*)</translation>
        </message>
    </context>
    <context>
        <name>AttemptJournal</name>
        <message>
            <source>The attempt journal needs a POSIX system.</source>
            <translation>尝试日志需要 POSIX 系统。</translation>
        </message>
        <message>
            <source>Cannot create the folder %1.</source>
            <translation>无法创建文件夹 %1。</translation>
        </message>
        <message>
            <source>Cannot create the attempt journal %1: %2</source>
            <translation>无法创建尝试日志 %1：%2</translation>
        </message>
        <message>
            <source>Cannot write the attempt journal %1: %2</source>
            <translation>无法写入尝试日志 %1：%2</translation>
        </message>
        <message>
            <source>Cannot read the attempt journal %1: %2</source>
            <translation>无法读取尝试日志 %1：%2</translation>
        </message>
    </context>
    <context>
        <name>ChatPage</name>
        <message>
            <source>Checking your keys…</source>
            <translation>正在检查密钥…</translation>
        </message>
        <message>
            <source>Switchyard is asking the keychain which providers have a key.</source>
            <translation>Switchyard 正在向钥匙串查询哪些服务商已设置密钥。</translation>
        </message>
        <message>
            <source>The keychain could not be read</source>
            <translation>无法读取钥匙串</translation>
        </message>
        <message>
            <source>Open Settings</source>
            <translation>打开设置</translation>
        </message>
        <message>
            <source>No provider has a key yet — add one in Settings</source>
            <translation>还没有任何服务商的密钥——请在设置中添加</translation>
        </message>
        <message>
            <source>Add a key for DeepSeek, Kimi, MiniMax, Qwen, OpenRouter or your own OpenAI-compatible endpoint. Keys are kept in your system keychain.</source>
            <translation>为 DeepSeek、Kimi、MiniMax、通义千问、OpenRouter 或你自己的 OpenAI 兼容端点添加密钥。密钥保存在系统钥匙串中。</translation>
        </message>
        <message>
            <source>New chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>New Chat</source>
            <translation>新对话</translation>
        </message>
        <message>
            <source>Start a new conversation (Ctrl+N)</source>
            <translation>开始新对话（Ctrl+N）</translation>
        </message>
        <message>
            <source>Search all conversations (Ctrl+K)</source>
            <translation>搜索所有对话（Ctrl+K）</translation>
        </message>
        <message>
            <source>Search conversations</source>
            <translation>搜索对话</translation>
        </message>
        <message>
            <source>Conversations</source>
            <translation>对话</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>Opening your conversations…</source>
            <translation>正在打开你的对话…</translation>
        </message>
        <message>
            <source>Attach files</source>
            <translation>附加文件</translation>
        </message>
        <message>
            <source>Conversations cannot be saved</source>
            <translation>无法保存对话</translation>
        </message>
        <message>
            <source>Conversations cannot be read</source>
            <translation>无法读取对话</translation>
        </message>
        <message>
            <source>Nothing matches “%1”</source>
            <translation>没有与“%1”匹配的内容</translation>
        </message>
        <message>
            <source>1 conversation matches</source>
            <translation>1 个对话匹配</translation>
        </message>
        <message>
            <source>%1 conversations match</source>
            <translation>%1 个对话匹配</translation>
        </message>
        <message>
            <source>Pinned</source>
            <translation>已置顶</translation>
        </message>
        <message>
            <source>Recent</source>
            <translation>最近</translation>
        </message>
        <message>
            <source>%1 (pinned)</source>
            <translation>%1（已置顶）</translation>
        </message>
        <message>
            <source>Ask anything</source>
            <translation>尽管问</translation>
        </message>
        <message>
            <source>Your routing rules choose the model, or pick one below. Drop images, PDF, text or source files here to attach them.</source>
            <translation>由路由规则选择模型，也可以在下方自行选择。把图片、PDF、文本或源代码文件拖到这里即可附加。</translation>
        </message>
        <message>
            <source>An answer is still arriving in “%1”; Stop ends it.</source>
            <translation>“%1”中的回答仍在生成；点“停止”可结束它。</translation>
        </message>
        <message>
            <source>Wait until the files are read, then send.</source>
            <translation>请等文件读取完成后再发送。</translation>
        </message>
        <message>
            <source>The conversations are still opening; try again in a moment.</source>
            <translation>对话仍在打开，请稍后再试。</translation>
        </message>
        <message>
            <source>Only the last answer can be continued; use Regenerate for this one.</source>
            <translation>只有最后一条回答可以继续；这一条请使用“重新生成”。</translation>
        </message>
        <message>
            <source>Continue exactly where your previous answer stopped, without repeating anything.</source>
            <translation>请从你上一条回答中断的地方继续，不要重复已经写过的内容。</translation>
        </message>
        <message>
            <source>≈ %1 tokens in (%2 from attachments)</source>
            <translation>输入约 %1 个 token（其中附件 %2 个）</translation>
        </message>
        <message>
            <source>≈ %1 tokens in</source>
            <translation>输入约 %1 个 token</translation>
        </message>
        <message>
            <source>→ %1 (rule “%2”)</source>
            <translation>→ %1（规则“%2”）</translation>
        </message>
        <message>
            <source>pasted image %1.png</source>
            <translation>粘贴的图片 %1.png</translation>
        </message>
        <message>
            <source>“%1” was deleted.</source>
            <translation>已删除“%1”。</translation>
        </message>
        <message>
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <source>Unpin</source>
            <translation>取消置顶</translation>
        </message>
        <message>
            <source>Pin to Top</source>
            <translation>置顶</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Go to the message field</source>
            <translation>转到消息输入框</translation>
        </message>
        <message>
            <source>Stop the answer (or cancel editing)</source>
            <translation>停止回答（或取消编辑）</translation>
        </message>
        <message>
            <source>Delete the selected conversation (in the list)</source>
            <translation>删除选中的对话（在列表中）</translation>
        </message>
        <message>
            <source>Rename the selected conversation (in the list)</source>
            <translation>重命名选中的对话（在列表中）</translation>
        </message>
        <message>
            <source>Send the message</source>
            <translation>发送消息</translation>
        </message>
        <message>
            <source>Start a new line</source>
            <translation>换行</translation>
        </message>
        <message>
            <source>You're ready</source>
            <translation>一切就绪</translation>
        </message>
        <message>
            <source>The key for %1 is in your keychain. Ask anything, or try the suggestion below; your routing rules choose the model.</source>
            <translation>%1 的密钥已在你的钥匙串中。尽管问，或试试下面的建议；由路由规则选择模型。</translation>
        </message>
        <message>
            <source>Write a haiku about a railway switchyard at dawn</source>
            <translation>写一首关于黎明时分铁路调车场的俳句</translation>
        </message>
        <message>
            <source>Try: “%1” — Enter sends</source>
            <translation>试试：“%1”——Enter 发送</translation>
        </message>
        <message>
            <source>Try: “%1” — Ctrl+Enter sends</source>
            <translation>试试：“%1”——Ctrl+Enter 发送</translation>
        </message>
    </context>
    <context>
        <name>ChatTurn</name>
        <message>
            <source>%1 cannot see images, and no enabled model in config.yaml has vision: true. Remove the image, or add a vision model.</source>
            <translation>%1 无法识别图片，而 config.yaml 中没有已启用且 vision: true 的模型。请移除图片，或添加一个视觉模型。</translation>
        </message>
        <message>
            <source>%1 cannot see images. Choose a model that can (%2), or remove the image.</source>
            <translation>%1 无法识别图片。请选择能识别图片的模型（%2），或移除图片。</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
    </context>
    <context>
        <name>CodeBlock</name>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Copy code</source>
            <translation>复制代码</translation>
        </message>
        <message>
            <source>Copy the code to the clipboard</source>
            <translation>把代码复制到剪贴板</translation>
        </message>
        <message>
            <source>Code (%1)</source>
            <translation>代码（%1）</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>已复制</translation>
        </message>
    </context>
    <context>
        <name>CommandLine</name>
        <message>
            <source>Unknown command "%1". Run switchyard --help to see the commands.</source>
            <translation>未知命令“%1”。运行 switchyard --help 查看可用命令。</translation>
        </message>
        <message>
            <source>Those options belong to a command (serve, route or export). Run switchyard --help.</source>
            <translation>这些选项属于某个命令（serve、route 或 export）。请运行 switchyard --help。</translation>
        </message>
        <message>
            <source>Usage: switchyard [COMMAND] [OPTIONS]

One window, one set of routing rules and one cost ledger for your LLM providers.

Commands:
  (none)                          open the window
  keys set|remove|list [PROVIDER] manage keys in the OS keychain; set reads the key from stdin
  serve [--listen ADDR:PORT]      run the local OpenAI-compatible endpoint; prints its URL
  route --explain FILE            print the routing decision for an OpenAI chat request
                                  (FILE, or - for standard input) as JSON
  export --format csv|jsonl       write the cost ledger; --since DATE, --until DATE,
                                  -o FILE (standard output without it); --scope team:
                                  every member's rows from the team ledger
  team init URL                   set up a PostgreSQL database as a team's ledger
  team status                     the team database, rows waiting to be sent, the
                                  team's rules in force

Options:
  --profile DIR                   keep config, database and logs under DIR
                                  (or set SWITCHYARD_PROFILE)
  --lang LANG                     user interface language, such as zh_CN or en
  --smoke                         start, show the window and exit (for CI)
  --screenshot FILE               start, save a picture of the window to FILE and exit
  -h, --help                      show this help
  -v, --version                   show the version
</source>
            <translation>用法：switchyard [命令] [选项]

一个窗口、一套路由规则、一本费用账本，管理你的大模型服务商。

命令：
  （无）                          打开窗口
  keys set|remove|list [服务商]   管理系统钥匙串中的密钥；set 从标准输入读取密钥
  serve [--listen 地址:端口]      运行本地 OpenAI 兼容端点，并输出其 URL
  route --explain 文件            以 JSON 显示某个 OpenAI 聊天请求的路由决策
                                  （文件，或用 - 表示标准输入）
  export --format csv|jsonl       导出费用账本；--since 日期、--until 日期、
                                  -o 文件（不指定则写到标准输出）；--scope team：
                                  导出团队账本中所有成员的记录
  team init URL                   将一个 PostgreSQL 数据库设置为团队账本
  team status                     显示团队数据库、待发送的记录以及生效中的
                                  团队规则

选项：
  --profile 目录                  将配置、数据库和日志保存在该目录下
                                  （也可设置 SWITCHYARD_PROFILE）
  --lang 语言                     界面语言，例如 zh_CN 或 en
  --smoke                         启动、显示窗口后退出（用于 CI）
  --screenshot 文件               启动后将窗口截图保存到该文件并退出
  -h, --help                      显示本帮助
  -v, --version                   显示版本
</translation>
        </message>
    </context>
    <context>
        <name>Composer</name>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Ask anything — Enter sends, Shift+Enter starts a new line</source>
            <translation>尽管问——Enter 发送，Shift+Enter 换行</translation>
        </message>
        <message>
            <source>Ask anything — Ctrl+Enter sends</source>
            <translation>尽管问——Ctrl+Enter 发送</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>消息</translation>
        </message>
        <message>
            <source>Editing a message: sending it replaces the message and every answer after it.</source>
            <translation>正在编辑消息：发送后将替换这条消息及其后的所有回答。</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancel editing</source>
            <translation>取消编辑</translation>
        </message>
        <message>
            <source>Attach…</source>
            <translation>附加…</translation>
        </message>
        <message>
            <source>Attach images, PDF, text or source files (or drop or paste them)</source>
            <translation>附加图片、PDF、文本或源代码文件（也可以拖放或粘贴）</translation>
        </message>
        <message>
            <source>Attach files</source>
            <translation>附加文件</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Which model answers: Auto lets the routing rules choose</source>
            <translation>由哪个模型回答：“自动”表示由路由规则选择</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>任务类型</translation>
        </message>
        <message>
            <source>The task type the routing rules see: Auto detects it from the message</source>
            <translation>路由规则看到的任务类型：“自动”表示根据消息判断</translation>
        </message>
        <message>
            <source>Auto task</source>
            <translation>自动任务</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>聊天</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Reasoning</source>
            <translation>推理</translation>
        </message>
        <message>
            <source>Long document</source>
            <translation>长文档</translation>
        </message>
        <message>
            <source>Vision</source>
            <translation>视觉</translation>
        </message>
        <message>
            <source>Composer options</source>
            <translation>输入框选项</translation>
        </message>
        <message>
            <source>Enter sends (Shift+Enter for a new line)</source>
            <translation>Enter 发送（Shift+Enter 换行）</translation>
        </message>
        <message>
            <source>Stop the answer</source>
            <translation>停止回答</translation>
        </message>
        <message>
            <source>Stop the answer (Esc); what arrived is kept</source>
            <translation>停止回答（Esc）；已收到的内容会保留</translation>
        </message>
        <message>
            <source>%1 (image) ✕</source>
            <translation>%1（图片）✕</translation>
        </message>
        <message>
            <source>%1 · %2 tokens ✕</source>
            <translation>%1 · %2 个 token ✕</translation>
        </message>
        <message>
            <source>Remove %1</source>
            <translation>移除 %1</translation>
        </message>
        <message>
            <source>Remove attachment %1</source>
            <translation>移除附件 %1</translation>
        </message>
        <message>
            <source>Reading 1 file…</source>
            <translation>正在读取 1 个文件…</translation>
        </message>
        <message>
            <source>Reading %1 files…</source>
            <translation>正在读取 %1 个文件…</translation>
        </message>
        <message>
            <source>Auto (routing rules)</source>
            <translation>自动（路由规则）</translation>
        </message>
        <message>
            <source>Resend</source>
            <translation>重新发送</translation>
        </message>
        <message>
            <source>%1 · no key</source>
            <translation>%1 · 无密钥</translation>
        </message>
        <message>
            <source>%1 has no key; add one in Settings → Providers.</source>
            <translation>%1 尚未设置密钥；请在“设置 → 服务商”中添加。</translation>
        </message>
    </context>
    <context>
        <name>Config</name>
        <message>
            <source>A name may not hold control characters or line breaks; character %1 is U+%2.</source>
            <translation>名称中不能含有控制字符或换行；第 %1 个字符是 U+%2。</translation>
        </message>
        <message>
            <source>A name may have at most %1 characters; this one has %2.</source>
            <translation>名称最多 %1 个字符；这个名称有 %2 个。</translation>
        </message>
    </context>
    <context>
        <name>ConfigLoader</name>
        <message>
            <source>line %1, column %2: %3</source>
            <translation>第 %1 行第 %2 列：%3</translation>
        </message>
        <message>
            <source>unknown key "%1" in %2 is ignored</source>
            <translation>%2 中的未知键“%1”已忽略</translation>
        </message>
        <message>
            <source>%1 must be a mapping of keys to values, found %2</source>
            <translation>%1 必须是键值映射，实际为%2</translation>
        </message>
        <message>
            <source>%1 must be a list, found %2</source>
            <translation>%1 必须是列表，实际为%2</translation>
        </message>
        <message>
            <source>%1 needs "%2"</source>
            <translation>%1 缺少“%2”</translation>
        </message>
        <message>
            <source>"%1" in %2 must be a single value, found %3</source>
            <translation>%2 中的“%1”必须是单个值，实际为%3</translation>
        </message>
        <message>
            <source>"%1" in %2 must not be empty</source>
            <translation>%2 中的“%1”不能为空</translation>
        </message>
        <message>
            <source>"%1" in %2 must be true or false</source>
            <translation>%2 中的“%1”必须是 true 或 false</translation>
        </message>
        <message>
            <source>"%1" in %2 must be a whole number above zero</source>
            <translation>%2 中的“%1”必须是大于零的整数</translation>
        </message>
        <message>
            <source>"%1" in %2 must be a price such as 0.435 (at most six decimals, not negative)</source>
            <translation>%2 中的“%1”必须是价格，例如 0.435（最多六位小数，不能为负）</translation>
        </message>
        <message>
            <source>"%1" in %2</source>
            <translation>%2 中的“%1”</translation>
        </message>
        <message>
            <source>each entry of "%1" in %2 must be a name</source>
            <translation>%2 中“%1”的每一项都必须是名称</translation>
        </message>
        <message>
            <source>the base URL of %1 must start with http:// or https://, found "%2"</source>
            <translation>%1 的基础 URL 必须以 http:// 或 https:// 开头，实际为“%2”</translation>
        </message>
        <message>
            <source>provider %1</source>
            <translation>第 %1 个服务商</translation>
        </message>
        <message>
            <source>provider id "%1" may use only letters, digits, '.', '_' and '-'</source>
            <translation>服务商 ID“%1”只能包含字母、数字、“.”、“_”和“-”</translation>
        </message>
        <message>
            <source>provider id "%1" is used twice</source>
            <translation>服务商 ID“%1”重复出现</translation>
        </message>
        <message>
            <source>provider "%1"</source>
            <translation>服务商“%1”</translation>
        </message>
        <message>
            <source>unknown dialect "%1" for %2; use deepseek, moonshot, minimax, dashscope, openrouter or openai</source>
            <translation>%2 的协议方言“%1”未知；请使用 deepseek、moonshot、minimax、dashscope、openrouter 或 openai</translation>
        </message>
        <message>
            <source>"api_key_env" of %1 must be the name of an environment variable, such as DEEPSEEK_API_KEY</source>
            <translation>%1 的“api_key_env”必须是环境变量名，例如 DEEPSEEK_API_KEY</translation>
        </message>
        <message>
            <source>"regions" of %1</source>
            <translation>%1 的“regions”</translation>
        </message>
        <message>
            <source>region "%1" of %2 must be a URL</source>
            <translation>%2 的区域“%1”必须是 URL</translation>
        </message>
        <message>
            <source>region "%1" of %2 is not one of its "regions"</source>
            <translation>区域“%1”不在 %2 的“regions”之中</translation>
        </message>
        <message>
            <source>%1 must be a time such as "08:30"</source>
            <translation>%1 必须是时间，例如“08:30”</translation>
        </message>
        <message>
            <source>unknown time zone "%1" in %2; use an IANA name such as Asia/Shanghai</source>
            <translation>%2 中的时区“%1”未知；请使用 IANA 名称，例如 Asia/Shanghai</translation>
        </message>
        <message>
            <source>%1 needs "windows"</source>
            <translation>%1 缺少“windows”</translation>
        </message>
        <message>
            <source>"windows" in %1</source>
            <translation>%1 中的“windows”</translation>
        </message>
        <message>
            <source>an off-peak window of %1</source>
            <translation>%1 的一个低峰时段</translation>
        </message>
        <message>
            <source>unknown day "%1" in %2; use mon, tue, … sun</source>
            <translation>%2 中的星期“%1”未知；请使用 mon、tue …… sun</translation>
        </message>
        <message>
            <source>%1 needs "from" and "to"</source>
            <translation>%1 缺少“from”和“to”</translation>
        </message>
        <message>
            <source>"from" in %1</source>
            <translation>%1 中的“from”</translation>
        </message>
        <message>
            <source>"to" in %1</source>
            <translation>%1 中的“to”</translation>
        </message>
        <message>
            <source>%1 ends before it starts</source>
            <translation>%1 的结束时间早于开始时间</translation>
        </message>
        <message>
            <source>currency of %1 must be a three-letter code such as USD or CNY</source>
            <translation>%1 的货币必须是三个字母的代码，例如 USD 或 CNY</translation>
        </message>
        <message>
            <source>"as_of" of %1 must be a date such as 2026-11-15</source>
            <translation>%1 的“as_of”必须是日期，例如 2026-11-15</translation>
        </message>
        <message>
            <source>"tiers" of %1</source>
            <translation>%1 的“tiers”</translation>
        </message>
        <message>
            <source>a price tier of %1</source>
            <translation>%1 的一个价格阶梯</translation>
        </message>
        <message>
            <source>price tiers of %1 must be in ascending order of "above"</source>
            <translation>%1 的价格阶梯必须按“above”从小到大排列</translation>
        </message>
        <message>
            <source>"off_peak" of %1</source>
            <translation>%1 的“off_peak”</translation>
        </message>
        <message>
            <source>model %1</source>
            <translation>第 %1 个模型</translation>
        </message>
        <message>
            <source>model name "%1" is used twice</source>
            <translation>模型名称“%1”重复出现</translation>
        </message>
        <message>
            <source>model "%1"</source>
            <translation>模型“%1”</translation>
        </message>
        <message>
            <source>%1 names provider "%2", which is not in "providers"</source>
            <translation>%1 引用的服务商“%2”不在“providers”中</translation>
        </message>
        <message>
            <source>alias "%1" of %2 is already the name of a model or another alias</source>
            <translation>%2 的别名“%1”已被其他模型名称或别名占用</translation>
        </message>
        <message>
            <source>the price of %1</source>
            <translation>%1 的价格</translation>
        </message>
        <message>
            <source>route %1</source>
            <translation>第 %1 条路由</translation>
        </message>
        <message>
            <source>%1 has both "default" and "match"; a default route matches everything</source>
            <translation>%1 同时包含“default”和“match”；默认路由会匹配所有请求</translation>
        </message>
        <message>
            <source>%1 has both "default" and "model"; write the model after "default:"</source>
            <translation>%1 同时包含“default”和“model”；请把模型写在“default:”之后</translation>
        </message>
        <message>
            <source>%1 names model "%2", which is not in "models"</source>
            <translation>%1 引用的模型“%2”不在“models”中</translation>
        </message>
        <message>
            <source>fallback "%1" is not the name of a model in "models"</source>
            <translation>备用模型“%1”不是“models”中的模型名称</translation>
        </message>
        <message>
            <source>the YAML is not well formed (%1)</source>
            <translation>YAML 格式不正确（%1）</translation>
        </message>
        <message>
            <source>the YAML could not be read (%1)</source>
            <translation>无法读取 YAML（%1）</translation>
        </message>
        <message>
            <source>the file is empty; delete it to start again from the built-in catalog</source>
            <translation>文件为空；删除它即可重新使用内置目录</translation>
        </message>
        <message>
            <source>the top level</source>
            <translation>顶层</translation>
        </message>
        <message>
            <source>the file needs a "providers" list</source>
            <translation>文件缺少“providers”列表</translation>
        </message>
        <message>
            <source>"providers"</source>
            <translation>“providers”</translation>
        </message>
        <message>
            <source>the file needs a "models" list</source>
            <translation>文件缺少“models”列表</translation>
        </message>
        <message>
            <source>"models"</source>
            <translation>“models”</translation>
        </message>
        <message>
            <source>the file needs a "routes" list ending with a default route, such as "- default: deepseek-v4-pro"</source>
            <translation>文件缺少以默认路由结尾的“routes”列表，例如“- default: deepseek-v4-pro”</translation>
        </message>
        <message>
            <source>"routes"</source>
            <translation>“routes”</translation>
        </message>
        <message>
            <source>"routes" needs a default route, such as "- default: deepseek-v4-pro"</source>
            <translation>“routes”缺少默认路由，例如“- default: deepseek-v4-pro”</translation>
        </message>
        <message>
            <source>route %1 comes after the default route and will never be used</source>
            <translation>第 %1 条路由位于默认路由之后，永远不会被使用</translation>
        </message>
        <message>
            <source>cannot read the file (%1)</source>
            <translation>无法读取文件（%1）</translation>
        </message>
        <message>
            <source>a mapping</source>
            <translation>一个映射</translation>
        </message>
        <message>
            <source>a list</source>
            <translation>一个列表</translation>
        </message>
        <message>
            <source>a single value</source>
            <translation>单个值</translation>
        </message>
        <message>
            <source>nothing</source>
            <translation>空值</translation>
        </message>
        <message>
            <source>(more problems in the file: %1)</source>
            <translation>（文件中还有 %1 处问题）</translation>
        </message>
        <message>
            <source>in the rule of %1: %2</source>
            <translation>%1 的规则中：%2</translation>
        </message>
        <message>
            <source>"fallback"</source>
            <translation>“fallback”</translation>
        </message>
        <message>
            <source>"price_guard" must be a number of at least 1, such as 3</source>
            <translation>“price_guard”必须是不小于 1 的数字，例如 3</translation>
        </message>
        <message>
            <source>unknown error class "%1" in "stop_on"; use %2</source>
            <translation>“stop_on”中的错误类别“%1”未知；请使用 %2</translation>
        </message>
        <message>
            <source>line %1: %2</source>
            <translation>第 %1 行：%2</translation>
        </message>
        <message>
            <source>"%1" in %2 must be a whole number from %3 to %4</source>
            <translation>%2 中的“%1”必须是 %3 到 %4 之间的整数</translation>
        </message>
        <message>
            <source>"budgets"</source>
            <translation>“budgets”</translation>
        </message>
        <message>
            <source>budget %1</source>
            <translation>预算 %1</translation>
        </message>
        <message>
            <source>"currency" in %1 must be a code such as USD or CNY</source>
            <translation>%1 中的“currency”必须是 USD 或 CNY 这样的代码</translation>
        </message>
        <message>
            <source>"monthly" in %1 must be above zero</source>
            <translation>%1 中的“monthly”必须大于零</translation>
        </message>
        <message>
            <source>"%1" in %2 is not the id of a provider in "providers"</source>
            <translation>%2 中的“%1”不是“providers”中某个服务商的 id</translation>
        </message>
        <message>
            <source>%1 repeats an earlier budget for the same currency and provider</source>
            <translation>%1 与前面同一货币和服务商的预算重复</translation>
        </message>
        <message>
            <source>"currency_rates"</source>
            <translation>“currency_rates”</translation>
        </message>
        <message>
            <source>"display" in %1 must be a code such as USD or CNY</source>
            <translation>%1 中的“display”必须是 USD 或 CNY 这样的代码</translation>
        </message>
        <message>
            <source>%1 needs "rates", such as "rates: {CNY: 0.138}"</source>
            <translation>%1 缺少“rates”，例如“rates: {CNY: 0.138}”</translation>
        </message>
        <message>
            <source>"rates" in %1</source>
            <translation>%1 中的“rates”</translation>
        </message>
        <message>
            <source>"%1" in "rates" is not a currency code such as CNY</source>
            <translation>“rates”中的“%1”不是 CNY 这样的货币代码</translation>
        </message>
        <message>
            <source>the rate for %1 must be what one %1 is worth in %2, such as 0.138</source>
            <translation>%1 的汇率必须是 1 %1 折合多少 %2，例如 0.138</translation>
        </message>
        <message>
            <source>"proxy" of %1 must be "direct" or a URL such as http://proxy.example:3128 or socks5://127.0.0.1:1080</source>
            <translation>%1 的 "proxy" 必须是 "direct" 或一个 URL，例如 http://proxy.example:3128 或 socks5://127.0.0.1:1080</translation>
        </message>
        <message>
            <source>"proxy" of %1 holds a password; config.yaml never keeps one. Give the proxy in HTTPS_PROXY instead.</source>
            <translation>%1 的 "proxy" 含有密码；config.yaml 从不保存密码。请改用 HTTPS_PROXY 指定代理。</translation>
        </message>
        <message>
            <source>"structured_output" of %1 must be json_schema, json_object or none</source>
            <translation>%1 的 "structured_output" 必须是 json_schema、json_object 或 none</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>a region of %1</source>
            <translation>%1 的一个区域</translation>
        </message>
        <message>
            <source>"kind" of %1 must be chat or embedding</source>
            <translation>%1 的“kind”必须是 chat 或 embedding</translation>
        </message>
        <message>
            <source>"max_inputs" of %1 is for embedding models (kind: embedding)</source>
            <translation>%1 的“max_inputs”仅适用于嵌入模型（kind: embedding）</translation>
        </message>
        <message>
            <source>"max_inputs" of %1 must be at most 2048</source>
            <translation>%1 的“max_inputs”不能超过 2048</translation>
        </message>
        <message>
            <source>%1 names model "%2", an embedding model; routes choose chat models</source>
            <translation>%1 引用的模型“%2”是嵌入模型；路由只能选择聊天模型</translation>
        </message>
        <message>
            <source>fallback "%1" is an embedding model; the default chain is for chat models</source>
            <translation>备用模型“%1”是嵌入模型；默认备用链只用于聊天模型</translation>
        </message>
        <message>
            <source>"model_aliases"</source>
            <translation>“model_aliases”</translation>
        </message>
        <message>
            <source>model alias %1</source>
            <translation>第 %1 个模型别名</translation>
        </message>
        <message>
            <source>"match" in %1 is not a pattern that can be read (%2); use * and ? as in "claude-*-haiku-*"</source>
            <translation>%1 中的“match”不是可识别的模式（%2）；请使用 * 和 ?，例如“claude-*-haiku-*”</translation>
        </message>
        <message>
            <source>%1 names model "%2", which is not in "models"; use a model's name or "auto"</source>
            <translation>%1 引用的模型“%2”不在“models”中；请使用模型名称或“auto”</translation>
        </message>
        <message>
            <source>fallback "%1" of an embedding model must be an embedding model too</source>
            <translation>嵌入模型的备用模型“%1”也必须是嵌入模型</translation>
        </message>
        <message>
            <source>fallback "%1" is an embedding model; a chat model falls back to chat models</source>
            <translation>备用模型“%1”是嵌入模型；聊天模型只能回退到聊天模型</translation>
        </message>
        <message>
            <source>"team"</source>
            <translation>“team”</translation>
        </message>
        <message>
            <source>"url" in %1 must be a PostgreSQL address such as postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full</source>
            <translation>%1 中的“url”必须是 PostgreSQL 地址，例如 postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full</translation>
        </message>
        <message>
            <source>"url" in %1 holds a password; remove it from the file and keep it in the keychain instead (switchyard keys set team)</source>
            <translation>%1 中的“url”包含密码；请将其从文件中删除，改为保存在钥匙串中（switchyard keys set team）</translation>
        </message>
        <message>
            <source>%1 needs "member", the name your calls go under in the team ledger</source>
            <translation>%1 缺少“member”，即你的调用在团队账本中记录所用的名字</translation>
        </message>
        <message>
            <source>%1 is not well formed YAML (%2)</source>
            <translation>%1 不是格式正确的 YAML（%2）</translation>
        </message>
        <message>
            <source>%1 is not a YAML map of shared sections</source>
            <translation>%1 不是由共享部分组成的 YAML 映射</translation>
        </message>
        <message>
            <source>%1 has "%2", which a team does not share</source>
            <translation>%1 包含“%2”，但团队不共享这一部分</translation>
        </message>
        <message>
            <source>%1 (not set up on this machine)</source>
            <translation>%1（本机未设置）</translation>
        </message>
        <message>
            <source>%1 with this machine's providers: %2</source>
            <translation>%1 与本机服务商合用时：%2</translation>
        </message>
    </context>
    <context>
        <name>ConfigStore</name>
        <message>
            <source>the new configuration</source>
            <translation>新配置</translation>
        </message>
        <message>
            <source>this machine's configuration</source>
            <translation>本机配置</translation>
        </message>
    </context>
    <context>
        <name>ConfigWriter</name>
        <message>
            <source>Cannot save %1: %2. The file was left as it was.</source>
            <translation>无法保存 %1：%2。文件保持原样。</translation>
        </message>
    </context>
    <context>
        <name>ConversationStore</name>
        <message>
            <source>Saving the conversation failed: %1</source>
            <translation>保存对话失败：%1</translation>
        </message>
    </context>
    <context>
        <name>ConversationView</name>
        <message>
            <source>Conversation</source>
            <translation>对话</translation>
        </message>
        <message>
            <source>Show 1 earlier message</source>
            <translation>显示更早的 1 条消息</translation>
        </message>
        <message>
            <source>Show %1 earlier messages</source>
            <translation>显示更早的 %1 条消息</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>No calls recorded yet</source>
            <translation>还没有记录任何调用</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>时间段</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>最近 30 天</translation>
        </message>
        <message>
            <source>This month</source>
            <translation>本月</translation>
        </message>
        <message>
            <source>Last month</source>
            <translation>上月</translation>
        </message>
        <message>
            <source>Last 90 days</source>
            <translation>最近 90 天</translation>
        </message>
        <message>
            <source>This year</source>
            <translation>今年</translation>
        </message>
        <message>
            <source>Group by</source>
            <translation>分组方式</translation>
        </message>
        <message>
            <source>By day</source>
            <translation>按天</translation>
        </message>
        <message>
            <source>By week</source>
            <translation>按周</translation>
        </message>
        <message>
            <source>By month</source>
            <translation>按月</translation>
        </message>
        <message>
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>任务类型</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>All providers</source>
            <translation>全部服务商</translation>
        </message>
        <message>
            <source>All models</source>
            <translation>全部模型</translation>
        </message>
        <message>
            <source>All task types</source>
            <translation>全部任务类型</translation>
        </message>
        <message>
            <source>All clients</source>
            <translation>全部客户端</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>Write the calls under these filters to a CSV or JSON Lines file</source>
            <translation>将符合当前筛选条件的调用写入 CSV 或 JSON Lines 文件</translation>
        </message>
        <message>
            <source>Currency of the charts</source>
            <translation>图表使用的货币</translation>
        </message>
        <message>
            <source>Charts in:</source>
            <translation>图表货币：</translation>
        </message>
        <message>
            <source>Each currency is charted as billed; nothing is converted.</source>
            <translation>各货币按实际计费分别绘制，不做换算。</translation>
        </message>
        <message>
            <source>Model to compare with</source>
            <translation>用于比较的模型</translation>
        </message>
        <message>
            <source>What routing saved — the same calls, all sent to:</source>
            <translation>路由节省了多少——同样的调用若全部发给：</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>尝试次数</translation>
        </message>
        <message>
            <source>Errors</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>Cost</source>
            <translation>费用</translation>
        </message>
        <message>
            <source>Input tokens</source>
            <translation>输入 token</translation>
        </message>
        <message>
            <source>Cache hits</source>
            <translation>缓存命中</translation>
        </message>
        <message>
            <source>Output tokens</source>
            <translation>输出 token</translation>
        </message>
        <message>
            <source>First token</source>
            <translation>首个 token</translation>
        </message>
        <message>
            <source>Total time</source>
            <translation>总耗时</translation>
        </message>
        <message>
            <source>Share of input tokens served from the provider's cache</source>
            <translation>由服务商缓存提供的输入 token 比例</translation>
        </message>
        <message>
            <source>Time to the first token of successful calls: median / 95th percentile</source>
            <translation>成功调用收到首个 token 的时间：中位数 / 第 95 百分位</translation>
        </message>
        <message>
            <source>Time to the end of successful calls: median / 95th percentile</source>
            <translation>成功调用完成的时间：中位数 / 第 95 百分位</translation>
        </message>
        <message>
            <source>Per model</source>
            <translation>按模型</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Most expensive calls</source>
            <translation>最贵的调用</translation>
        </message>
        <message>
            <source>&lt;b&gt;Per model&lt;/b&gt;</source>
            <translation>&lt;b&gt;按模型&lt;/b&gt;</translation>
        </message>
        <message>
            <source>&lt;b&gt;Most expensive calls&lt;/b&gt;</source>
            <translation>&lt;b&gt;最贵的调用&lt;/b&gt;</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>仪表盘</translation>
        </message>
        <message>
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <source>Reading the ledger…</source>
            <translation>正在读取账本…</translation>
        </message>
        <message>
            <source>The ledger could not be read: %1</source>
            <translation>无法读取账本：%1</translation>
        </message>
        <message>
            <source>(choose a model)</source>
            <translation>（选择模型）</translation>
        </message>
        <message>
            <source>%1 to %2</source>
            <translation>%1 至 %2</translation>
        </message>
        <message>
            <source>No calls from %1 match these filters.</source>
            <translation>%1 期间没有符合筛选条件的调用。</translation>
        </message>
        <message>
            <source>%1, local time.</source>
            <translation>%1，本地时间。</translation>
        </message>
        <message>
            <source>Spend</source>
            <translation>支出</translation>
        </message>
        <message>
            <source>in %1, each as billed</source>
            <translation>以 %1 分别计费</translation>
        </message>
        <message>
            <source>as billed</source>
            <translation>按实际计费</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>请求</translation>
        </message>
        <message>
            <source>Tokens in / out</source>
            <translation>输入 / 输出 token</translation>
        </message>
        <message>
            <source>%1 / %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>%1 of input served from cache</source>
            <translation>%1 的输入来自缓存</translation>
        </message>
        <message>
            <source>Routing saved %1.</source>
            <translation>路由节省了 %1。</translation>
        </message>
        <message>
            <source>The currencies differ, so no difference is worked out.</source>
            <translation>货币不同，因此不计算差额。</translation>
        </message>
        <message>
            <source>Choose a model to price this period as if every call had gone to it.</source>
            <translation>选择一个模型，按所有调用都发给它来计算本期费用。</translation>
        </message>
        <message>
            <source>Spend over time</source>
            <translation>支出趋势</translation>
        </message>
        <message>
            <source>Spend over time (%1)</source>
            <translation>支出趋势（%1）</translation>
        </message>
        <message>
            <source>Other models</source>
            <translation>其他模型</translation>
        </message>
        <message>
            <source>M/d</source>
            <comment>chart axis: the first day of a week</comment>
            <translation>M/d</translation>
        </message>
        <message>
            <source>MMM yyyy</source>
            <comment>chart axis: a month</comment>
            <translation>yyyy年M月</translation>
        </message>
        <message>
            <source>Spend by model (%1)</source>
            <translation>按模型的支出（%1）</translation>
        </message>
        <message>
            <source>Spend by task type (%1)</source>
            <translation>按任务类型的支出（%1）</translation>
        </message>
        <message>
            <source>≈ %1</source>
            <translation>≈ %1</translation>
        </message>
        <message>
            <source>Estimated: the provider sent no usage</source>
            <translation>估算值：服务商未返回用量</translation>
        </message>
        <message>
            <source>CSV, for spreadsheets (*.csv)</source>
            <translation>CSV，用于电子表格 (*.csv)</translation>
        </message>
        <message>
            <source>JSON Lines (*.jsonl)</source>
            <translation>JSON Lines (*.jsonl)</translation>
        </message>
        <message>
            <source>Export the ledger</source>
            <translation>导出账本</translation>
        </message>
        <message>
            <source>Exporting the ledger…</source>
            <translation>正在导出账本…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>Nothing was exported: %1</source>
            <translation>未导出任何内容：%1</translation>
        </message>
        <message>
            <source>≈ %1 in all at your rates (config.yaml)</source>
            <translation>按你设定的汇率（config.yaml）合计约 %1</translation>
        </message>
        <message>
            <source>No rate set for %1, so no total in %2</source>
            <translation>未设置 %1 的汇率，因此无法以 %2 合计</translation>
        </message>
        <message>
            <source>%1 for %2</source>
            <translation>%2 的 %1</translation>
        </message>
        <message>
            <source>Over budget: %1 spent this month against the %2 budget of %3 (%4%).</source>
            <translation>已超出预算：本月已花费 %1，%2 预算为 %3（%4%）。</translation>
        </message>
        <message>
            <source>%1 of the %2 budget used this month: %3 of %4.</source>
            <translation>本月已用掉 %2 预算的 %1：%3 / %4。</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>聊天</translation>
        </message>
        <message>
            <source>Code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Reasoning</source>
            <translation>推理</translation>
        </message>
        <message>
            <source>Long document</source>
            <translation>长文档</translation>
        </message>
        <message>
            <source>Vision</source>
            <translation>视觉</translation>
        </message>
        <message>
            <source>Chat completions</source>
            <translation>Chat Completions</translation>
        </message>
        <message>
            <source>Responses</source>
            <translation>Responses</translation>
        </message>
        <message>
            <source>Anthropic Messages</source>
            <translation>Anthropic Messages</translation>
        </message>
        <message>
            <source>Embeddings</source>
            <translation>Embeddings</translation>
        </message>
        <message>
            <source>API</source>
            <translation>API</translation>
        </message>
        <message>
            <source>All APIs</source>
            <translation>全部 API</translation>
        </message>
        <message numerus="yes">
            <source>%Ln failed attempt(s)</source>
            <translation>
                <numerusform>%Ln 次尝试失败</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln stopped</source>
            <comment>answers the user stopped; not errors</comment>
            <translation>
                <numerusform>%Ln 次被停止</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln passed over: no key</source>
            <comment>models skipped because their provider has no key</comment>
            <translation>
                <numerusform>%Ln 次跳过：无密钥</numerusform>
            </translation>
        </message>
        <message>
            <source>Every call from the Chat page and from the local endpoint lands in the cost ledger with its tokens, time and cost, and this page charts them. Ask something on the Chat page to see the first one here.</source>
            <translation>聊天页和本地端点发出的每次调用都会连同 token、耗时和费用记入费用账本，本页以图表展示。在聊天页提个问题，即可在这里看到第一条记录。</translation>
        </message>
        <message>
            <source>Go to Chat</source>
            <translation>前往聊天</translation>
        </message>
        <message>
            <source>Share of the attempts sent that failed; answers you stopped are not errors</source>
            <translation>已发出的尝试中失败所占的比例；你停止的回答不算错误</translation>
        </message>
        <message numerus="yes">
            <source>%1. %Ln attempt(s) had no usage from their provider; their tokens and cost are estimated (≈ in the tables, cost_estimated in the export).</source>
            <translation>
                <numerusform>%1。其中 %Ln 次尝试的服务商未返回用量，其 token 和费用为估算值（表格中标为 ≈，导出文件中为 cost_estimated）。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln attempt(s) had no price and are not counted</source>
            <translation>
                <numerusform>%Ln 次尝试没有价格，未计入</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%Ln attempt(s), %1 of requests fell back or retried</source>
            <translation>
                <numerusform>共 %Ln 次尝试，%1 的请求发生了回退或重试</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 for the %Ln successful attempt(s), against %2 actually spent.</source>
            <translation>
                <numerusform>%Ln 次成功尝试将花费 %1，实际支出为 %2。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Exported %Ln call(s) to %1.</source>
            <translation>
                <numerusform>已将 %Ln 次调用导出到 %1。</numerusform>
            </translation>
        </message>
        <message>
            <source>Member</source>
            <translation>成员</translation>
        </message>
        <message>
            <source>All members</source>
            <translation>全部成员</translation>
        </message>
        <message>
            <source>Whose calls</source>
            <translation>谁的调用</translation>
        </message>
        <message>
            <source>Me</source>
            <comment>dashboard scope: this profile's calls</comment>
            <translation>我</translation>
        </message>
        <message>
            <source>This profile's calls, from its own ledger</source>
            <translation>此配置目录的调用，来自它自己的账本</translation>
        </message>
        <message>
            <source>Team</source>
            <comment>dashboard scope: every member's calls</comment>
            <translation>团队</translation>
        </message>
        <message>
            <source>Every member's calls, from the team ledger</source>
            <translation>所有成员的调用，来自团队账本</translation>
        </message>
        <message>
            <source>No calls in the team ledger yet</source>
            <translation>团队账本中还没有调用</translation>
        </message>
        <message>
            <source>Each member's calls reach the team ledger a few seconds after they are made, and this page charts them together. Calls made here are sent as well.</source>
            <translation>每位成员的调用会在发出几秒后到达团队账本，本页将它们汇总成图表。在这里发出的调用也会一并发送。</translation>
        </message>
        <message>
            <source>The team's figures below were read at %1.</source>
            <translation>以下团队数据读取于 %1。</translation>
        </message>
        <message>
            <source>The team's figures will show once it answers.</source>
            <translation>团队数据库响应后将显示团队数据。</translation>
        </message>
        <message>
            <source>Loading the team's figures…</source>
            <translation>正在加载团队数据…</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <comment>a budget's currency (and provider), then the member whose it is</comment>
            <translation>%1（%2）</translation>
        </message>
        <message>
            <source>team's %1</source>
            <comment>the budget of the whole team, in this currency (and provider)</comment>
            <translation>团队的 %1</translation>
        </message>
        <message>
            <source>Spend by member (%1)</source>
            <translation>按成员的支出（%1）</translation>
        </message>
        <message>
            <source>the team database has not been opened yet.</source>
            <translation>团队数据库尚未打开。</translation>
        </message>
        <message>
            <source>Estimated from a sample of about %1% of the team ledger's calls in this period: it holds too many to read them all quickly.</source>
            <translation>根据本时段团队账本中约 %1% 调用的抽样估算：调用太多，无法很快全部读取。</translation>
        </message>
    </context>
    <context>
        <name>Database</name>
        <message>
            <source>%1 failed: %2</source>
            <translation>%1 失败：%2</translation>
        </message>
        <message>
            <source>Cannot read the schema version: %1</source>
            <translation>无法读取数据库结构版本：%1</translation>
        </message>
        <message>
            <source>The database was written by a newer Switchyard (schema %1; this version knows up to %2). Update Switchyard to open it.</source>
            <translation>该数据库由更新版本的 Switchyard 写入（结构版本 %1；当前版本最高支持 %2）。请更新 Switchyard 后再打开。</translation>
        </message>
        <message>
            <source>Upgrading the database to schema %1 failed, nothing was changed: %2</source>
            <translation>将数据库升级到结构版本 %1 失败，未做任何更改：%2</translation>
        </message>
        <message>
            <source>The SQLite driver for Qt is missing. Install the package libqt6sql6-sqlite.</source>
            <translation>缺少 Qt 的 SQLite 驱动。请安装软件包 libqt6sql6-sqlite。</translation>
        </message>
        <message>
            <source>Cannot open the database %1: %2</source>
            <translation>无法打开数据库 %1：%2</translation>
        </message>
        <message>
            <source>The database %1 cannot use write-ahead logging (the file system may not support it). Move the profile to a local disk.</source>
            <translation>数据库 %1 无法使用预写日志（文件系统可能不支持）。请将配置目录移到本地磁盘。</translation>
        </message>
        <message>
            <source>The database was not opened before a write.</source>
            <translation>写入前数据库尚未打开。</translation>
        </message>
        <message numerus="yes">
            <source>The database is not open, so %n change(s) were not saved.</source>
            <translation>
                <numerusform>数据库未打开，%n 项更改未能保存。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Dispatch</name>
        <message>
            <source>%1 costs %2× %3, more than the price guard of %4×</source>
            <translation>%1 的价格是 %3 的 %2 倍，超过了价格保护上限 %4 倍</translation>
        </message>
        <message>
            <source>%1 is not in the configuration</source>
            <translation>配置中没有 %1</translation>
        </message>
        <message>
            <source>%1 is cooling down for %2 s after repeated failures</source>
            <translation>%1 多次失败，正在冷却，还需 %2 秒</translation>
        </message>
        <message>
            <source>%1 holds only %2 tokens</source>
            <translation>%1 只能容纳 %2 个 token</translation>
        </message>
        <message>
            <source>No key is set for %1; add one in Settings.</source>
            <translation>%1 尚未设置密钥；请在设置中添加。</translation>
        </message>
        <message>
            <source>the answer had started; the part received is kept</source>
            <translation>回答已经开始；已收到的部分已保留</translation>
        </message>
        <message>
            <source>%1 is not something another model can fix</source>
            <translation>%1 无法通过换用其他模型解决</translation>
        </message>
        <message>
            <source>the input is too long for %1; trying a model with more context</source>
            <translation>输入超出 %1 的上下文长度；改用上下文更长的模型</translation>
        </message>
        <message>
            <source>%1; waiting %2 s as the provider asked</source>
            <translation>%1；按服务商要求等待 %2 秒</translation>
        </message>
        <message>
            <source>%1; trying the next model</source>
            <translation>%1；尝试下一个模型</translation>
        </message>
        <message>
            <source>Every model in the chain was skipped.</source>
            <translation>备用链中的所有模型都被跳过了。</translation>
        </message>
        <message numerus="yes">
            <source>Every model that could answer is cooling down after repeated failures; the first is back in %n s.</source>
            <translation>
                <numerusform>能回答的模型都因多次失败正在冷却；最早的一个将在 %n 秒后恢复。</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 is an embedding model</source>
            <translation>%1 是嵌入模型</translation>
        </message>
    </context>
    <context>
        <name>EmbeddingCall</name>
        <message>
            <source>no answer within %1 s</source>
            <translation>%1 秒内没有响应</translation>
        </message>
        <message>
            <source>the call took longer than %1 s</source>
            <translation>调用耗时超过 %1 秒</translation>
        </message>
        <message>
            <source>The answer is larger than %1 MiB.</source>
            <translation>回答超过 %1 MiB。</translation>
        </message>
        <message>
            <source>The provider's vectors differ in length between requests (%1 and %2).</source>
            <translation>服务商在不同请求中返回的向量长度不一致（%1 和 %2）。</translation>
        </message>
        <message>
            <source>The answer was not JSON.</source>
            <translation>回答不是 JSON。</translation>
        </message>
        <message>
            <source>The answer has no "data" list.</source>
            <translation>回答中没有“data”列表。</translation>
        </message>
        <message>
            <source>The answer holds %1 vectors for %2 inputs.</source>
            <translation>回答中有 %1 个向量，而输入有 %2 条。</translation>
        </message>
        <message>
            <source>A vector's "index" is not a whole number.</source>
            <translation>某个向量的“index”不是整数。</translation>
        </message>
        <message>
            <source>A vector's "index" (%1) is out of range or repeated.</source>
            <translation>某个向量的“index”（%1）超出范围或重复。</translation>
        </message>
        <message>
            <source>A vector has no "embedding".</source>
            <translation>某个向量缺少“embedding”。</translation>
        </message>
        <message>
            <source>A vector's base64 is not a list of 32-bit floats.</source>
            <translation>某个向量的 base64 数据不是 32 位浮点数列表。</translation>
        </message>
        <message>
            <source>A vector holds something other than numbers.</source>
            <translation>某个向量中含有数字以外的内容。</translation>
        </message>
        <message>
            <source>A vector is empty.</source>
            <translation>某个向量为空。</translation>
        </message>
        <message>
            <source>The vectors of one answer differ in length.</source>
            <translation>同一回答中的向量长度不一致。</translation>
        </message>
    </context>
    <context>
        <name>EndpointPage</name>
        <message>
            <source>Local Endpoint</source>
            <translation>本地端点</translation>
        </message>
        <message>
            <source>Serve the endpoint while Switchyard is open</source>
            <translation>Switchyard 打开时提供端点服务</translation>
        </message>
        <message>
            <source>Address and port to listen on</source>
            <translation>监听的地址和端口</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
        <message>
            <source>Listen on:</source>
            <translation>监听：</translation>
        </message>
        <message>
            <source>Status:</source>
            <translation>状态：</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <source>The endpoint's key</source>
            <translation>端点的密钥</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>显示</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Regenerate…</source>
            <translation>重新生成…</translation>
        </message>
        <message>
            <source>Keys for separate apps</source>
            <translation>各应用专用密钥</translation>
        </message>
        <message>
            <source>Give each script or app its own key and its calls show up under that name in the dashboard's client filter and in routing rules (client == "name").</source>
            <translation>为每个脚本或应用分配专用密钥，它们的调用将以该名称出现在仪表盘的客户端筛选和路由规则中（client == "名称"）。</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>name, such as nightly-report</source>
            <translation>名称，例如 nightly-report</translation>
        </message>
        <message>
            <source>Name of the new key</source>
            <translation>新密钥的名称</translation>
        </message>
        <message>
            <source>Add Key</source>
            <translation>添加密钥</translation>
        </message>
        <message>
            <source>Remove Key…</source>
            <translation>删除密钥…</translation>
        </message>
        <message>
            <source>Copy Key</source>
            <translation>复制密钥</translation>
        </message>
        <message>
            <source>Reading the endpoint's key from the keychain…</source>
            <translation>正在从钥匙串读取端点密钥…</translation>
        </message>
        <message>
            <source>Warning: %1</source>
            <translation>警告：%1</translation>
        </message>
        <message>
            <source>Listening on %1</source>
            <translation>正在监听 %1</translation>
        </message>
        <message numerus="yes">
            <source>Listening on %1 · %n request(s) served since Switchyard started</source>
            <translation>
                <numerusform>正在监听 %1 · 自 Switchyard 启动以来已处理 %n 个请求</numerusform>
            </translation>
        </message>
        <message>
            <source>Off. Scripts can also run it without this window: switchyard serve</source>
            <translation>已关闭。脚本也可以不打开本窗口单独运行端点：switchyard serve</translation>
        </message>
        <message>
            <source>Created in the keychain when the endpoint is first turned on</source>
            <translation>首次开启端点时在钥匙串中创建</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>隐藏</translation>
        </message>
        <message>
            <source>This key comes from %1, which is set for this session.</source>
            <translation>此密钥来自本次会话设置的 %1。</translation>
        </message>
        <message>
            <source>Kept in the system keychain. switchyard serve uses the same key, or %1 when it is set.</source>
            <translation>保存在系统钥匙串中。switchyard serve 使用同一个密钥；若设置了 %1，则使用它。</translation>
        </message>
        <message>
            <source>Make a new key? Scripts that use the current key will be refused until they are given the new one.</source>
            <translation>要生成新密钥吗？使用当前密钥的脚本在换用新密钥之前将被拒绝。</translation>
        </message>
        <message>
            <source>There is already a key named "%1".</source>
            <translation>已有名为“%1”的密钥。</translation>
        </message>
        <message>
            <source>Remove the key "%1"? Anything that uses it will be refused.</source>
            <translation>要删除密钥“%1”吗？使用它的任何程序都将被拒绝。</translation>
        </message>
        <message>
            <source>Local endpoint</source>
            <translation>本地端点</translation>
        </message>
        <message>
            <source>Scripts, agents and tools that speak OpenAI's or Anthropic's API (chat completions, Responses, Messages, embeddings) can call one local URL with one key, and get the same routing, fallback and cost ledger as this window. Calls made through it are marked with the key's name in the ledger's client column.</source>
            <translation>支持 OpenAI 或 Anthropic API（Chat Completions、Responses、Messages、Embeddings）的脚本、智能体和工具可以用一个本地 URL 和一个密钥调用，享有与本窗口相同的路由、回退和费用账本。经由端点的调用会在账本的客户端列中标记为所用密钥的名称。</translation>
        </message>
        <message>
            <source>Client to set up</source>
            <translation>要配置的客户端</translation>
        </message>
        <message>
            <source>curl: chat completions</source>
            <translation>curl：Chat Completions</translation>
        </message>
        <message>
            <source>OpenAI SDK (Python)</source>
            <translation>OpenAI SDK（Python）</translation>
        </message>
        <message>
            <source>curl: Responses API</source>
            <translation>curl：Responses API</translation>
        </message>
        <message>
            <source>Claude Code</source>
            <translation>Claude Code</translation>
        </message>
        <message>
            <source>Anthropic SDK (Python)</source>
            <translation>Anthropic SDK（Python）</translation>
        </message>
        <message>
            <source>Codex CLI</source>
            <translation>Codex CLI</translation>
        </message>
        <message>
            <source>Vercel AI SDK</source>
            <translation>Vercel AI SDK</translation>
        </message>
        <message>
            <source>curl: embeddings</source>
            <translation>curl：Embeddings</translation>
        </message>
        <message>
            <source>Setup to paste</source>
            <translation>可粘贴的配置</translation>
        </message>
        <message>
            <source>Copy with Key</source>
            <translation>复制（含密钥）</translation>
        </message>
        <message>
            <source>Use it from:</source>
            <translation>使用方式：</translation>
        </message>
        <message>
            <source>Try it, or point any OpenAI-compatible client's base URL at the endpoint.</source>
            <translation>试一试，或将任意 OpenAI 兼容客户端的 base URL 指向该端点。</translation>
        </message>
        <message>
            <source>Any OpenAI SDK works the same way: the base URL and the key are all it needs.</source>
            <translation>任何 OpenAI SDK 的用法都相同：只需要 base URL 和密钥。</translation>
        </message>
        <message>
            <source>The Responses API, as the AI SDK and Codex use it; previous_response_id works for answers served here.</source>
            <translation>Responses API，即 AI SDK 和 Codex 所用的接口；对本端点返回的回答可以使用 previous_response_id。</translation>
        </message>
        <message>
            <source>Set these before starting Claude Code. Its claude-… model names are routed as "auto" unless model_aliases in config.yaml maps them to your models.</source>
            <translation>请在启动 Claude Code 之前设置这些变量。它使用的 claude-… 模型名称会按“auto”路由，除非 config.yaml 中的 model_aliases 把它们映射到你的模型。</translation>
        </message>
        <message>
            <source>The Anthropic Messages API; the key may also go in x-api-key (the SDK's api_key).</source>
            <translation>Anthropic Messages API；密钥也可以放在 x-api-key 中（即 SDK 的 api_key）。</translation>
        </message>
        <message>
            <source>Add this provider to Codex's config.toml and set the key in the shell that runs codex.</source>
            <translation>将此服务商添加到 Codex 的 config.toml 中，并在运行 codex 的 shell 中设置密钥。</translation>
        </message>
        <message>
            <source>switchyard('auto') speaks the Responses API, switchyard.chat('auto') chat completions, switchyard.embedding(…) embeddings.</source>
            <translation>switchyard('auto') 使用 Responses API，switchyard.chat('auto') 使用 Chat Completions，switchyard.embedding(…) 使用 Embeddings。</translation>
        </message>
        <message>
            <source>Embeddings go to the models marked kind: embedding in config.yaml.</source>
            <translation>嵌入请求会发往 config.yaml 中标记为 kind: embedding 的模型。</translation>
        </message>
    </context>
    <context>
        <name>ExportCommand</name>
        <message>
            <source>switchyard export: %1</source>
            <translation>switchyard export：%1</translation>
        </message>
        <message>
            <source>Choose the format: --format csv or --format jsonl.</source>
            <translation>请选择格式：--format csv 或 --format jsonl。</translation>
        </message>
        <message>
            <source>--since takes a date such as 2026-11-01 or a time such as 2026-11-01T08:00:00Z.</source>
            <translation>--since 需要日期（如 2026-11-01）或时间（如 2026-11-01T08:00:00Z）。</translation>
        </message>
        <message>
            <source>--until takes a date such as 2026-11-30 or a time such as 2026-11-30T18:00:00Z.</source>
            <translation>--until 需要日期（如 2026-11-30）或时间（如 2026-11-30T18:00:00Z）。</translation>
        </message>
        <message>
            <source>There is no ledger in %1 yet; nothing has been recorded.</source>
            <translation>%1 中还没有账本；尚未记录任何调用。</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>This profile is not in a team: add a "team:" section to %1.</source>
            <translation>此配置目录未加入团队：请在 %1 中添加“team:”部分。</translation>
        </message>
        <message>
            <source>--scope takes me (this profile's ledger, the default) or team (every member's rows).</source>
            <translation>--scope 可取 me（此配置目录的账本，默认值）或 team（所有成员的记录）。</translation>
        </message>
    </context>
    <context>
        <name>FirstRunPanel</name>
        <message>
            <source>Test Connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Save and Start Chatting</source>
            <translation>保存并开始聊天</translation>
        </message>
        <message>
            <source>Skip, I'll set up later</source>
            <translation>跳过，稍后再设置</translation>
        </message>
        <message>
            <source>Welcome to Switchyard</source>
            <translation>欢迎使用 Switchyard</translation>
        </message>
        <message>
            <source>Add one provider's key to start; the routing rules use whatever keys you have.</source>
            <translation>添加一个服务商的密钥即可开始；路由规则会使用你已有的所有密钥。</translation>
        </message>
        <message>
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <source>Paste the key here</source>
            <translation>在此粘贴密钥</translation>
        </message>
        <message>
            <source>&amp;Provider:</source>
            <translation>服务商(&amp;P)：</translation>
        </message>
        <message>
            <source>API &amp;key:</source>
            <translation>API 密钥(&amp;K)：</translation>
        </message>
        <message>
            <source>The keychain could not be read: %1</source>
            <translation>无法读取钥匙串：%1</translation>
        </message>
        <message>
            <source>No provider is enabled. Enable one in Settings → Providers.</source>
            <translation>没有已启用的服务商。请在“设置 → 服务商”中启用一个。</translation>
        </message>
        <message>
            <source>No key yet? &lt;a href="%1"&gt;Get a key&lt;/a&gt; from %2. Calls go to %3.</source>
            <translation>还没有密钥？从 %2 &lt;a href="%1"&gt;获取密钥&lt;/a&gt;。调用将发往 %3。</translation>
        </message>
        <message>
            <source>Use the key the server at %1 expects; a local server may take any text.</source>
            <translation>请使用 %1 上的服务器所要求的密钥；本地服务器可能接受任意文本。</translation>
        </message>
        <message>
            <source>Testing %1…</source>
            <translation>正在测试 %1…</translation>
        </message>
        <message>
            <source>Saving the key for %1…</source>
            <translation>正在保存 %1 的密钥…</translation>
        </message>
        <message>
            <source>The key for %1 was not saved: %2</source>
            <translation>%1 的密钥未能保存：%2</translation>
        </message>
        <message>
            <source>The key for %1 is saved.</source>
            <translation>%1 的密钥已保存。</translation>
        </message>
        <message>
            <source>The key is kept in %1, never in a file in your profile folder.</source>
            <translation>密钥保存在%1中，绝不会写入配置目录中的任何文件。</translation>
        </message>
    </context>
    <context>
        <name>Gateway</name>
        <message>
            <source>"%1" is not an address to listen on; write it as 127.0.0.1:%2.</source>
            <translation>“%1”不是可监听的地址；请写成 127.0.0.1:%2 的形式。</translation>
        </message>
        <message>
            <source>"%1" is not an IP address; write it as 127.0.0.1:%2.</source>
            <translation>“%1”不是 IP 地址；请写成 127.0.0.1:%2 的形式。</translation>
        </message>
        <message>
            <source>The endpoint listens on %1, so other machines on the network can reach it. Anyone with the key can spend on your providers' accounts, and requests travel unencrypted.</source>
            <translation>端点监听在 %1，网络上的其他机器可以访问它。任何持有密钥的人都能消耗你在服务商账户上的额度，而且请求以明文传输。</translation>
        </message>
        <message>
            <source>The endpoint cannot listen on %1:%2: %3</source>
            <translation>端点无法监听 %1:%2：%3</translation>
        </message>
        <message>
            <source>%1 takes %2 requests.</source>
            <translation>%1 只接受 %2 请求。</translation>
        </message>
        <message>
            <source>The endpoint's key is not available yet: the keychain has not answered.</source>
            <translation>端点密钥尚不可用：钥匙串还没有响应。</translation>
        </message>
        <message>
            <source>The key given is not this endpoint's key; see Settings → Endpoint.</source>
            <translation>提供的密钥不是此端点的密钥；请查看“设置 → 端点”。</translation>
        </message>
        <message>
            <source>"%1" is not a task type; use one of %2.</source>
            <translation>“%1”不是任务类型；请使用以下之一：%2。</translation>
        </message>
        <message>
            <source>The model "%1" does not exist here; GET /v1/models lists the names, or use "auto".</source>
            <translation>这里没有模型“%1”；GET /v1/models 可列出模型名称，也可以使用 "auto"。</translation>
        </message>
        <message>
            <source>The endpoint is reading as many large requests as it can; send this one again in a moment.</source>
            <translation>端点正在读取的大请求已达上限；请稍后重新发送此请求。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected %2, but got %3 instead.</source>
            <translation>“%1”的类型无效：应为%2，实际为%3。</translation>
        </message>
        <message>
            <source>The request is not valid JSON: %1 at byte %2.</source>
            <translation>请求不是有效的 JSON：第 %2 字节处 %1。</translation>
        </message>
        <message>
            <source>The request must be a JSON object.</source>
            <translation>请求必须是 JSON 对象。</translation>
        </message>
        <message>
            <source>You must provide a model parameter: an embedding model's name from GET /v1/models, or "auto".</source>
            <translation>必须提供 model 参数：GET /v1/models 中某个嵌入模型的名称，或“auto”。</translation>
        </message>
        <message>
            <source>'input' is a required property: a string, or a list of up to %1 strings.</source>
            <translation>“input”是必填属性：一个字符串，或最多 %1 个字符串组成的列表。</translation>
        </message>
        <message>
            <source>Token arrays in 'input' are not supported here: the models behind this endpoint use different tokenizers. Send the text, as a string or a list of strings.</source>
            <translation>此处不支持在“input”中使用 token 数组：此端点背后的模型使用不同的分词器。请以字符串或字符串列表的形式发送文本。</translation>
        </message>
        <message>
            <source>'input' must not be an empty list.</source>
            <translation>“input”不能是空列表。</translation>
        </message>
        <message>
            <source>'input' holds %1 entries; at most %2 are allowed in one request.</source>
            <translation>“input”有 %1 项；一个请求最多允许 %2 项。</translation>
        </message>
        <message>
            <source>'%1' is an empty string; every input must hold some text.</source>
            <translation>“%1”是空字符串；每条输入都必须包含文本。</translation>
        </message>
        <message>
            <source>Invalid value for 'encoding_format': "%1"; use "float" or "base64".</source>
            <translation>“encoding_format”的值“%1”无效；请使用“float”或“base64”。</translation>
        </message>
        <message>
            <source>Invalid 'dimensions': %1; expected a whole number from 1 to %2.</source>
            <translation>“dimensions”无效：%1；应为 1 到 %2 之间的整数。</translation>
        </message>
        <message>
            <source>No embedding model is enabled: add a model with "kind: embedding" to config.yaml.</source>
            <translation>没有已启用的嵌入模型：请在 config.yaml 中添加一个带有“kind: embedding”的模型。</translation>
        </message>
        <message>
            <source>"%1" is a chat model; POST /v1/embeddings takes a model with "kind: embedding", or "auto".</source>
            <translation>“%1”是聊天模型；POST /v1/embeddings 只接受带有“kind: embedding”的模型，或“auto”。</translation>
        </message>
        <message>
            <source>%1's provider is disabled, and so are those of its fallbacks.</source>
            <translation>%1 的服务商已停用，其备用模型的服务商也都已停用。</translation>
        </message>
        <message>
            <source>No key is set for %1; add one in Settings.</source>
            <translation>%1 尚未设置密钥；请在设置中添加。</translation>
        </message>
        <message>
            <source>Every embedding model that could answer is cooling down after repeated failures; the first is back in %1 s.</source>
            <translation>能回答的嵌入模型都因多次失败正在冷却；最早的一个将在 %1 秒后恢复。</translation>
        </message>
        <message>
            <source>Every model in the chain was skipped.</source>
            <translation>备用链中的所有模型都被跳过了。</translation>
        </message>
        <message>
            <source>There is nothing at %1 %2; the endpoint serves POST /v1/chat/completions, /v1/responses, /v1/messages, /v1/messages/count_tokens and /v1/embeddings, and GET /v1/models.</source>
            <translation>%1 %2 不存在；端点提供 POST /v1/chat/completions、/v1/responses、/v1/messages、/v1/messages/count_tokens 和 /v1/embeddings，以及 GET /v1/models。</translation>
        </message>
        <message>
            <source>This endpoint needs "Authorization: Bearer &lt;key&gt;" (or "x-api-key: &lt;key&gt;") with the key shown in Switchyard's Settings → Endpoint.</source>
            <translation>此端点需要 “Authorization: Bearer &lt;密钥&gt;”（或 “x-api-key: &lt;密钥&gt;”），密钥见 Switchyard 的“设置 → 端点”。</translation>
        </message>
        <message>
            <source>"%1" is an embedding model: send it to POST /v1/embeddings, or name a chat model here.</source>
            <translation>“%1”是嵌入模型：请将其发送到 POST /v1/embeddings，或在此处指定聊天模型。</translation>
        </message>
        <message>
            <source>a boolean</source>
            <translation>布尔值</translation>
        </message>
        <message>
            <source>a number</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>a string</source>
            <translation>字符串</translation>
        </message>
        <message>
            <source>an array</source>
            <translation>数组</translation>
        </message>
        <message>
            <source>an object</source>
            <translation>对象</translation>
        </message>
        <message>
            <source>'%1': %2 is not supported by this endpoint.</source>
            <translation>“%1”：此端点不支持%2。</translation>
        </message>
        <message>
            <source>'%1': the field is required.</source>
            <translation>“%1”：该字段为必填项。</translation>
        </message>
        <message>
            <source>an integer</source>
            <translation>整数</translation>
        </message>
        <message>
            <source>'%1' must be from %2 to %3; it is %4.</source>
            <translation>“%1”必须在 %2 到 %3 之间；实际为 %4。</translation>
        </message>
        <message>
            <source>'model' must name a model, or "auto".</source>
            <translation>“model”必须是模型名称或“auto”。</translation>
        </message>
        <message>
            <source>'messages' must hold at least one message.</source>
            <translation>“messages”至少要包含一条消息。</translation>
        </message>
        <message>
            <source>'%1' must not be empty.</source>
            <translation>“%1”不能为空。</translation>
        </message>
        <message>
            <source>a string or an array of blocks</source>
            <translation>字符串或内容块数组</translation>
        </message>
        <message>
            <source>a block of type "%1" here</source>
            <translation>此处类型为“%1”的内容块</translation>
        </message>
        <message>
            <source>'%1.media_type' must be an image type such as image/png.</source>
            <translation>“%1.media_type”必须是图片类型，例如 image/png。</translation>
        </message>
        <message>
            <source>'%1.data' is not base64 image data.</source>
            <translation>“%1.data”不是 base64 图片数据。</translation>
        </message>
        <message>
            <source>'%1.url' must be an http(s) URL.</source>
            <translation>“%1.url”必须是 http(s) URL。</translation>
        </message>
        <message>
            <source>an image source of type "%1"</source>
            <translation>类型为“%1”的图片来源</translation>
        </message>
        <message>
            <source>'%1.role' must be "user", "assistant" or "system".</source>
            <translation>“%1.role”必须是“user”“assistant”或“system”。</translation>
        </message>
        <message>
            <source>'%1.type': a %2 block cannot be in a message of role "%3".</source>
            <translation>“%1.type”：%2 内容块不能出现在角色为“%3”的消息中。</translation>
        </message>
        <message>
            <source>a block of type "%1"</source>
            <translation>类型为“%1”的内容块</translation>
        </message>
        <message>
            <source>the server tool "%1" (only tools with an input_schema are)</source>
            <translation>服务器工具“%1”（只支持带有 input_schema 的工具）</translation>
        </message>
        <message>
            <source>'tool_choice.type' must be "auto", "any", "tool" or "none".</source>
            <translation>“tool_choice.type”必须是“auto”“any”“tool”或“none”。</translation>
        </message>
        <message>
            <source>'thinking.budget_tokens' must be at least 1024.</source>
            <translation>“thinking.budget_tokens”不能小于 1024。</translation>
        </message>
        <message>
            <source>'thinking.type' must be "enabled", "adaptive" or "disabled".</source>
            <translation>“thinking.type”必须是“enabled”“adaptive”或“disabled”。</translation>
        </message>
        <message>
            <source>'output_config.effort' must be one of %1.</source>
            <translation>“output_config.effort”必须是以下之一：%1。</translation>
        </message>
        <message>
            <source>'output_config.format' must be {"type": "json_schema", "schema": {…}}.</source>
            <translation>“output_config.format”必须是 {"type": "json_schema", "schema": {…}}。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected an object, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为对象，实际为%2。</translation>
        </message>
        <message>
            <source>Invalid type for '%1.type': expected a string, but got %2 instead.</source>
            <translation>“%1.type”的类型无效：应为字符串，实际为%2。</translation>
        </message>
        <message>
            <source>Item with id '%1' not found.</source>
            <translation>找不到 id 为“%1”的项。</translation>
        </message>
        <message>
            <source>Input item %1 has neither a "type" nor a "role".</source>
            <translation>输入项 %1 既没有“type”也没有“role”。</translation>
        </message>
        <message>
            <source>Input items of type "%1" are not supported here: this endpoint runs function tools only (messages, function_call, function_call_output, reasoning and item_reference items).</source>
            <translation>此处不支持类型为“%1”的输入项：此端点只运行函数工具（支持消息以及 function_call、function_call_output、reasoning 和 item_reference 项）。</translation>
        </message>
        <message>
            <source>Missing required parameter: '%1'.</source>
            <translation>缺少必填参数：“%1”。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected a string, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为字符串，实际为%2。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected a string or an array of content parts, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为字符串或内容片段数组，实际为%2。</translation>
        </message>
        <message>
            <source>'%1' has no image_url; images by file_id are not supported here: send the image as a data: or https: URL.</source>
            <translation>“%1”没有 image_url；此处不支持通过 file_id 引用图片：请以 data: 或 https: URL 发送图片。</translation>
        </message>
        <message>
            <source>Content parts of type "%1" are not supported in '%2'; send input_text%3.</source>
            <translation>“%2”中不支持类型为“%1”的内容片段；请发送 input_text%3。</translation>
        </message>
        <message>
            <source> or input_image</source>
            <translation> 或 input_image</translation>
        </message>
        <message>
            <source>Invalid value for '%1.role': "%2"; use user, assistant, system or developer.</source>
            <translation>“%1.role”的值“%2”无效；请使用 user、assistant、system 或 developer。</translation>
        </message>
        <message>
            <source>'%1.call_id' is empty.</source>
            <translation>“%1.call_id”为空。</translation>
        </message>
        <message>
            <source>Missing required parameter: '%1.output'.</source>
            <translation>缺少必填参数：“%1.output”。</translation>
        </message>
        <message>
            <source>Invalid type for '%1.%2': expected an array, but got %3 instead.</source>
            <translation>“%1.%2”的类型无效：应为数组，实际为%3。</translation>
        </message>
        <message>
            <source>Previous response with id '%1' not found. Only responses this endpoint served to the same key in the last %2 days, and not asked for with "store": false, can be continued.</source>
            <translation>找不到 id 为“%1”的上一个响应。只有此端点在最近 %2 天内向同一密钥返回、且请求时未设置 "store": false 的响应才能继续。</translation>
        </message>
        <message>
            <source>Item with id '%1' not found. Only items of responses this endpoint served to the same key, and not asked for with "store": false, can be referred to.</source>
            <translation>找不到 id 为“%1”的项。只有此端点向同一密钥返回、且请求时未设置 "store": false 的响应中的项才能被引用。</translation>
        </message>
        <message>
            <source>"conversation" is not supported here; continue a conversation with previous_response_id, or send its items in "input".</source>
            <translation>此处不支持“conversation”；请用 previous_response_id 继续对话，或在“input”中发送对话的各项。</translation>
        </message>
        <message>
            <source>Background responses are not supported here; send the request with "background": false.</source>
            <translation>此处不支持后台响应；请以 "background": false 发送请求。</translation>
        </message>
        <message>
            <source>Stored prompts ("prompt") are not supported here; send the instructions and input themselves.</source>
            <translation>此处不支持已存储的提示词（“prompt”）；请直接发送 instructions 和 input 的内容。</translation>
        </message>
        <message>
            <source>The request needs "model": a model name or "auto".</source>
            <translation>请求缺少“model”：模型名称或“auto”。</translation>
        </message>
        <message>
            <source>The request needs "input": a string, or a list of input items.</source>
            <translation>请求缺少“input”：一个字符串，或输入项列表。</translation>
        </message>
        <message>
            <source>Invalid type for 'input': expected a string or an array, but got %1 instead.</source>
            <translation>“input”的类型无效：应为字符串或数组，实际为%1。</translation>
        </message>
        <message>
            <source>"input" is empty: send at least one message.</source>
            <translation>“input”为空：请至少发送一条消息。</translation>
        </message>
        <message>
            <source>Tools of type "%1" are not supported here: only function tools are (the providers behind this endpoint run no hosted tools).</source>
            <translation>此处不支持类型为“%1”的工具：只支持函数工具（此端点背后的服务商不运行托管工具）。</translation>
        </message>
        <message>
            <source>Missing required parameter: '%1.name'.</source>
            <translation>缺少必填参数：“%1.name”。</translation>
        </message>
        <message>
            <source>Invalid type for '%1.%2': expected %3, but got %4 instead.</source>
            <translation>“%1.%2”的类型无效：应为%3，实际为%4。</translation>
        </message>
        <message>
            <source>Invalid value for 'tool_choice': "%1"; use none, auto, required or {"type":"function","name":…}.</source>
            <translation>“tool_choice”的值“%1”无效；请使用 none、auto、required 或 {"type":"function","name":…}。</translation>
        </message>
        <message>
            <source>This 'tool_choice' is not supported here: use none, auto, required or {"type":"function","name":…} (hosted, MCP, custom and allowed_tools choices are not).</source>
            <translation>此处不支持这种“tool_choice”：请使用 none、auto、required 或 {"type":"function","name":…}（不支持托管工具、MCP、自定义工具和 allowed_tools 选项）。</translation>
        </message>
        <message>
            <source>Invalid type for 'text.format': expected an object, but got %1 instead.</source>
            <translation>“text.format”的类型无效：应为对象，实际为%1。</translation>
        </message>
        <message>
            <source>Invalid value for 'text.format.type': "%1"; use text, json_object or json_schema.</source>
            <translation>“text.format.type”的值“%1”无效；请使用 text、json_object 或 json_schema。</translation>
        </message>
        <message>
            <source>Missing required parameter: 'text.format.name'.</source>
            <translation>缺少必填参数：“text.format.name”。</translation>
        </message>
        <message>
            <source>Missing required parameter: 'text.format.schema' (an object).</source>
            <translation>缺少必填参数：“text.format.schema”（一个对象）。</translation>
        </message>
        <message>
            <source>Invalid value for 'reasoning.effort'; use one of %1.</source>
            <translation>“reasoning.effort”的值无效；请使用以下之一：%1。</translation>
        </message>
        <message>
            <source>Invalid type for 'max_output_tokens': expected an integer, but got %1 instead.</source>
            <translation>“max_output_tokens”的类型无效：应为整数，实际为%1。</translation>
        </message>
        <message>
            <source>Invalid 'max_output_tokens': integer below minimum value. Expected a value &gt;= 16, but got %1 instead.</source>
            <translation>“max_output_tokens”无效：整数低于最小值。应 &gt;= 16，实际为 %1。</translation>
        </message>
        <message>
            <source>Invalid 'metadata': at most 16 keys, but got %1.</source>
            <translation>“metadata”无效：最多 16 个键，实际为 %1 个。</translation>
        </message>
        <message>
            <source>Invalid 'metadata.%1': metadata holds strings, keys up to 64 characters and values up to 512.</source>
            <translation>“metadata.%1”无效：metadata 只能包含字符串，键最多 64 个字符，值最多 512 个字符。</translation>
        </message>
    </context>
    <context>
        <name>GatewayKeys</name>
        <message>
            <source>The endpoint's key could not be read from the keychain: %1 Set %2 to run without it.</source>
            <translation>无法从钥匙串读取端点密钥：%1 可设置 %2 以不依赖钥匙串运行。</translation>
        </message>
        <message>
            <source>A key for the endpoint could not be stored in the keychain: %1 Set %2 to run without it.</source>
            <translation>无法将端点密钥保存到钥匙串：%1 可设置 %2 以不依赖钥匙串运行。</translation>
        </message>
        <message>
            <source>The endpoint's key comes from %1; change it there.</source>
            <translation>端点密钥来自 %1；请在那里修改。</translation>
        </message>
        <message>
            <source>The new key could not be stored in the keychain: %1</source>
            <translation>无法将新密钥保存到钥匙串：%1</translation>
        </message>
        <message>
            <source>"%1" cannot name a key: use up to 40 letters, digits, '.', '-' or '_', and not api, window or cli.</source>
            <translation>“%1”不能用作密钥名称：最多 40 个字母、数字、“.”、“-”或“_”，且不能是 api、window 或 cli。</translation>
        </message>
        <message>
            <source>The key could not be stored in the keychain: %1</source>
            <translation>无法将密钥保存到钥匙串：%1</translation>
        </message>
        <message>
            <source>The key could not be removed from the keychain: %1</source>
            <translation>无法从钥匙串删除密钥：%1</translation>
        </message>
    </context>
    <context>
        <name>HttpClient</name>
        <message>
            <source>TLS is not available here, so %1 cannot be reached.</source>
            <translation>此处无法使用 TLS，因此无法访问 %1。</translation>
        </message>
        <message>
            <source>the provider's answer is not valid HTTP (%1)</source>
            <translation>服务商的响应不是有效的 HTTP（%1）</translation>
        </message>
        <message>
            <source>the connection closed before the answer was complete</source>
            <translation>响应尚未完整，连接就已关闭</translation>
        </message>
        <message>
            <source>the connection failed</source>
            <translation>连接失败</translation>
        </message>
        <message>
            <source>The proxy for %1 is not usable: %2</source>
            <translation>访问 %1 的代理不可用：%2</translation>
        </message>
        <message>
            <source>the certificate of %1 was not accepted: %2</source>
            <translation>%1 的证书未被接受：%2</translation>
        </message>
        <message>
            <source>the proxy %1:%2 failed: %3</source>
            <translation>代理 %1:%2 出错：%3</translation>
        </message>
    </context>
    <context>
        <name>HttpServer</name>
        <message>
            <source>The request body is larger than the endpoint accepts (%1 bytes).</source>
            <translation>请求体超过了端点接受的大小（%1 字节）。</translation>
        </message>
        <message>
            <source>The request headers are too large.</source>
            <translation>请求头过大。</translation>
        </message>
        <message>
            <source>The request is not valid HTTP: %1.</source>
            <translation>请求不是有效的 HTTP：%1。</translation>
        </message>
        <message>
            <source>The endpoint is receiving too many large requests at once; send this one again in a moment.</source>
            <translation>端点正同时接收过多的大请求；请稍后重新发送此请求。</translation>
        </message>
        <message>
            <source>The request's headers did not arrive within %1 s.</source>
            <translation>请求头未在 %1 秒内全部到达。</translation>
        </message>
        <message>
            <source>The request's body did not arrive within %1 s.</source>
            <translation>请求体未在 %1 秒内全部到达。</translation>
        </message>
        <message>
            <source>The endpoint is serving as many connections as it can; try again in a moment.</source>
            <translation>端点的连接数已达上限；请稍后再试。</translation>
        </message>
    </context>
    <context>
        <name>KeyEntryDialog</name>
        <message>
            <source>Key for %1</source>
            <translation>%1 的密钥</translation>
        </message>
        <message>
            <source>Paste the API key for %1. It will be kept in %2 and never shown again.</source>
            <translation>粘贴 %1 的 API 密钥。它将保存在%2中，之后不会再次显示。</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
        <message>
            <source>sk-…</source>
            <translation>sk-…</translation>
        </message>
    </context>
    <context>
        <name>KeychainBackend</name>
        <message>
            <source>No key is stored.</source>
            <translation>未存储密钥。</translation>
        </message>
        <message>
            <source>The keychain is locked or refused access (%1). Unlock it and try again.</source>
            <translation>钥匙串已锁定或拒绝访问（%1）。请解锁后重试。</translation>
        </message>
        <message>
            <source>No working keychain was found (%1). Start your desktop's keyring (GNOME Keyring or KWallet) and try again.</source>
            <translation>未找到可用的钥匙串（%1）。请启动桌面的密钥环（GNOME Keyring 或 KWallet）后重试。</translation>
        </message>
        <message>
            <source>The keychain could not delete the key (%1).</source>
            <translation>钥匙串无法删除该密钥（%1）。</translation>
        </message>
        <message>
            <source>the system keychain</source>
            <translation>系统钥匙串</translation>
        </message>
    </context>
    <context>
        <name>KeysCommand</name>
        <message>
            <source>Warning: %1. Using the providers of the built-in catalog.</source>
            <translation>警告：%1。将使用内置目录中的服务商。</translation>
        </message>
        <message>
            <source>Too many arguments. Usage: switchyard keys set|remove|list [PROVIDER]</source>
            <translation>参数过多。用法：switchyard keys set|remove|list [服务商]</translation>
        </message>
        <message>
            <source>Unknown provider "%1". Known providers: %2.</source>
            <translation>未知服务商“%1”。已知服务商：%2。</translation>
        </message>
        <message>
            <source>Usage: switchyard keys set|remove|list [PROVIDER]</source>
            <translation>用法：switchyard keys set|remove|list [服务商]</translation>
        </message>
        <message>
            <source>Name the provider, for example: switchyard keys %1 deepseek</source>
            <translation>请指定服务商，例如：switchyard keys %1 deepseek</translation>
        </message>
        <message>
            <source>the local endpoint</source>
            <translation>本地端点</translation>
        </message>
        <message>
            <source>Paste the key for %1 and press Enter (it will not be shown): </source>
            <translation>粘贴 %1 的密钥后按回车（输入不会显示）：</translation>
        </message>
        <message>
            <source>No key was given. Pipe it in, for example: printf %s "$KEY" | switchyard keys set %1</source>
            <translation>未提供密钥。请通过管道输入，例如：printf %s "$KEY" | switchyard keys set %1</translation>
        </message>
        <message>
            <source>The key spans several lines; give only the key.</source>
            <translation>密钥跨越多行；请只提供密钥本身。</translation>
        </message>
        <message>
            <source>The key for %1 was not stored: %2</source>
            <translation>%1 的密钥未能保存：%2</translation>
        </message>
        <message>
            <source>Stored the key for %1 in %2.</source>
            <translation>已将 %1 的密钥保存到%2。</translation>
        </message>
        <message>
            <source>Warning: that is not encrypted. Use a keychain when you can.</source>
            <translation>警告：该存储未加密。请尽可能使用钥匙串。</translation>
        </message>
        <message>
            <source>The key for %1 was not removed: %2</source>
            <translation>%1 的密钥未能删除：%2</translation>
        </message>
        <message>
            <source>Removed the key for %1.</source>
            <translation>已删除 %1 的密钥。</translation>
        </message>
        <message>
            <source>PROVIDER</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>KEY</source>
            <translation>密钥</translation>
        </message>
        <message>
            <source>switchyard keys: %1</source>
            <translation>switchyard keys：%1</translation>
        </message>
        <message>
            <source>from $%1</source>
            <translation>来自 $%1</translation>
        </message>
        <message>
            <source>stored in %1</source>
            <translation>保存在%1中</translation>
        </message>
        <message>
            <source>not set</source>
            <translation>未设置</translation>
        </message>
        <message>
            <source>unknown (the keychain did not answer)</source>
            <translation>未知（钥匙串无响应）</translation>
        </message>
        <message>
            <source>the team database</source>
            <translation>团队数据库</translation>
        </message>
    </context>
    <context>
        <name>Ledger</name>
        <message>
            <source>Writing the export failed: %1</source>
            <translation>写入导出文件失败：%1</translation>
        </message>
        <message>
            <source>The export was cancelled.</source>
            <translation>导出已取消。</translation>
        </message>
        <message>
            <source>Ledger rows were not saved: %1</source>
            <translation>账本记录未能保存：%1</translation>
        </message>
        <message>
            <source>Reading the ledger failed: %1</source>
            <translation>读取账本失败：%1</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Sections</source>
            <translation>分区</translation>
        </message>
        <message>
            <source>Chat</source>
            <translation>聊天</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>仪表盘</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>Open &amp;Profile Folder</source>
            <translation>打开配置目录(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Reload Configuration</source>
            <translation>重新加载配置(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Chat</source>
            <translation>聊天(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Dashboard</source>
            <translation>仪表盘(&amp;D)</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>设置(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About Switchyard</source>
            <translation>关于 Switchyard(&amp;A)</translation>
        </message>
        <message>
            <source>Database: %1</source>
            <translation>数据库：%1</translation>
        </message>
        <message>
            <source>config.yaml has an error; the last good configuration is in use</source>
            <translation>config.yaml 有错误；正在使用上一次有效的配置</translation>
        </message>
        <message>
            <source>Profile: %1</source>
            <translation>配置目录：%1</translation>
        </message>
        <message>
            <source>Budget Warnings in the System &amp;Tray</source>
            <translation>在系统托盘中提示预算(&amp;T)</translation>
        </message>
        <message>
            <source>This desktop has no system tray; budget warnings show in the window.</source>
            <translation>此桌面没有系统托盘；预算提示将显示在窗口中。</translation>
        </message>
        <message>
            <source>Over budget</source>
            <translation>超出预算</translation>
        </message>
        <message>
            <source>Budget almost used</source>
            <translation>预算即将用完</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;Documentation</source>
            <translation>文档(&amp;D)</translation>
        </message>
        <message>
            <source>Anywhere in the window</source>
            <translation>窗口内任意位置</translation>
        </message>
        <message>
            <source>%1 › %2</source>
            <translation>%1 › %2</translation>
        </message>
        <message>
            <source>Chat (while it is shown)</source>
            <translation>聊天（显示聊天页时）</translation>
        </message>
        <message>
            <source>Documentation</source>
            <translation>文档</translation>
        </message>
        <message>
            <source>The documentation is not installed here. It was looked for in:
%1</source>
            <translation>此处未安装文档。已在以下位置查找：
%1</translation>
        </message>
        <message>
            <source>No program on this system opens %1.</source>
            <translation>此系统上没有能打开 %1 的程序。</translation>
        </message>
    </context>
    <context>
        <name>MessageWidget</name>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>Image %1</source>
            <translation>图片 %1</translation>
        </message>
        <message>
            <source>%1 · %2 tokens</source>
            <translation>%1 · %2 个 token</translation>
        </message>
        <message>
            <source>You</source>
            <translation>你</translation>
        </message>
        <message>
            <source>Show or hide the reasoning</source>
            <translation>显示或隐藏推理过程</translation>
        </message>
        <message>
            <source>Open Settings</source>
            <translation>打开设置</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Copy the message as Markdown</source>
            <translation>以 Markdown 格式复制消息</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>编辑</translation>
        </message>
        <message>
            <source>Edit this message and send it again; the answers after it are replaced</source>
            <translation>编辑这条消息并重新发送；其后的回答将被替换</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>重新生成</translation>
        </message>
        <message>
            <source>Ask again; the arrow chooses another model</source>
            <translation>重新提问；点箭头可换用其他模型</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Ask the model to go on from where the answer stopped</source>
            <translation>让模型从回答中断处接着写</translation>
        </message>
        <message>
            <source>Interrupted: Switchyard stopped while this answer was arriving; what had been shown is kept.</source>
            <translation>已中断：回答生成期间 Switchyard 退出了；已显示的内容均已保留。</translation>
        </message>
        <message>
            <source>Routing…</source>
            <translation>正在路由…</translation>
        </message>
        <message>
            <source>Regenerate with</source>
            <translation>换用模型重新生成</translation>
        </message>
        <message>
            <source>Thinking…</source>
            <translation>思考中…</translation>
        </message>
        <message>
            <source>Reasoning</source>
            <translation>推理过程</translation>
        </message>
        <message>
            <source>%1 · attempt %2</source>
            <translation>%1 · 第 %2 次尝试</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <source>Continuing…</source>
            <translation>正在继续…</translation>
        </message>
        <message>
            <source>Still arriving…</source>
            <translation>仍在生成…</translation>
        </message>
        <message>
            <source>chosen by you</source>
            <translation>由你选择</translation>
        </message>
        <message>
            <source>rule “%1”</source>
            <translation>规则“%1”</translation>
        </message>
        <message>
            <source>%1 in (%2 cached)</source>
            <translation>输入 %1（缓存命中 %2）</translation>
        </message>
        <message>
            <source>%1 in</source>
            <translation>输入 %1</translation>
        </message>
        <message>
            <source>%1 out (%2 reasoning)</source>
            <translation>输出 %1（推理 %2）</translation>
        </message>
        <message>
            <source>%1 out</source>
            <translation>输出 %1</translation>
        </message>
        <message>
            <source>≈ %1 (estimated)</source>
            <translation>约 %1（估算）</translation>
        </message>
        <message>
            <source>no price in config.yaml</source>
            <translation>config.yaml 中没有价格</translation>
        </message>
        <message>
            <source>first token %1</source>
            <translation>首个 token %1</translation>
        </message>
        <message>
            <source>%1 total</source>
            <translation>共 %1</translation>
        </message>
        <message>
            <source>Request %1, task type %2</source>
            <translation>请求 %1，任务类型 %2</translation>
        </message>
        <message>
            <source>Tried first:</source>
            <translation>先尝试了：</translation>
        </message>
        <message>
            <source>The provider said: “%1”</source>
            <translation>服务商返回：“%1”</translation>
        </message>
        <message>
            <source>Class: %1</source>
            <translation>类别：%1</translation>
        </message>
        <message>
            <source>No answer</source>
            <translation>没有回答</translation>
        </message>
        <message>
            <source>%1 (no key)</source>
            <translation>%1（无密钥）</translation>
        </message>
        <message>
            <source>%1 passed over</source>
            <translation>已跳过 %1</translation>
        </message>
        <message numerus="yes">
            <source>after %n fallback(s)</source>
            <translation>
                <numerusform>经过 %n 次回退</numerusform>
            </translation>
        </message>
        <message>
            <source>Passed over without sending:</source>
            <translation>未发送即跳过：</translation>
        </message>
        <message>
            <source>Add a Key…</source>
            <translation>添加密钥…</translation>
        </message>
        <message>
            <source>default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>route %1</source>
            <translation>第 %1 条</translation>
        </message>
    </context>
    <context>
        <name>ModelChoiceDelegate</name>
        <message>
            <source>not in the configuration</source>
            <translation>不在配置中</translation>
        </message>
        <message>
            <source>no key</source>
            <translation>无密钥</translation>
        </message>
        <message>
            <source>key unreadable</source>
            <translation>密钥无法读取</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>%1 — an embedding model</source>
            <translation>%1 — 嵌入模型</translation>
        </message>
        <message>
            <source>provider disabled</source>
            <translation>服务商已停用</translation>
        </message>
    </context>
    <context>
        <name>NetworkPage</name>
        <message>
            <source>Proxy</source>
            <translation>代理</translation>
        </message>
        <message>
            <source>Use the system's proxy settings (https_proxy, http_proxy, all_proxy, no_proxy)</source>
            <translation>使用系统的代理设置（https_proxy、http_proxy、all_proxy、no_proxy）</translation>
        </message>
        <message>
            <source>No proxy: connect to providers directly</source>
            <translation>不使用代理：直接连接服务商</translation>
        </message>
        <message>
            <source>This proxy:</source>
            <translation>使用此代理：</translation>
        </message>
        <message>
            <source>http://proxy.example:3128 or socks5://127.0.0.1:1080</source>
            <translation>http://proxy.example:3128 或 socks5://127.0.0.1:1080</translation>
        </message>
        <message>
            <source>A proxy's password is not kept here; give it in HTTPS_PROXY instead. This machine (localhost, 127.0.0.1) is always reached directly.</source>
            <translation>这里不保存代理密码；请改用 HTTPS_PROXY 指定。本机（localhost、127.0.0.1）始终直接连接。</translation>
        </message>
        <message>
            <source>Trusted certificates</source>
            <translation>受信任的证书</translation>
        </message>
        <message>
            <source>None besides the system's</source>
            <translation>仅使用系统证书</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>Extra certificates (PEM):</source>
            <translation>额外证书（PEM）：</translation>
        </message>
        <message>
            <source>For a proxy that inspects TLS: its certificate authority is trusted for every provider, besides the system's store and SSL_CERT_FILE. Certificate checks are never turned off. A provider's own ca_file in config.yaml adds to this.</source>
            <translation>用于检查 TLS 流量的代理：除系统证书库和 SSL_CERT_FILE 外，所有服务商都会信任该代理的证书颁发机构。证书校验永远不会关闭。config.yaml 中服务商自己的 ca_file 会在此基础上追加。</translation>
        </message>
        <message>
            <source>Per provider</source>
            <translation>按服务商</translation>
        </message>
        <message>
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>Connection</source>
            <translation>连接方式</translation>
        </message>
        <message>
            <source>Certificates to Trust</source>
            <translation>要信任的证书</translation>
        </message>
        <message>
            <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>PEM 证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Connection for %1</source>
            <translation>%1 的连接方式</translation>
        </message>
        <message>
            <source>As set above</source>
            <translation>按上方设置</translation>
        </message>
        <message>
            <source>Direct, never through a proxy</source>
            <translation>直接连接，不经代理</translation>
        </message>
        <message>
            <source>Through %1</source>
            <translation>经由 %1</translation>
        </message>
        <message>
            <source>No proxy variable is set in Switchyard's environment, so providers are reached directly.</source>
            <translation>Switchyard 的环境中没有设置代理变量，因此直接连接服务商。</translation>
        </message>
        <message>
            <source>In effect: %1</source>
            <translation>当前生效：%1</translation>
        </message>
        <message>
            <source>Give the proxy's address, or choose another option.</source>
            <translation>请填写代理地址，或选择其他选项。</translation>
        </message>
        <message>
            <source>The address holds a password, which settings.ini would keep in plain text; give the proxy in HTTPS_PROXY instead.</source>
            <translation>该地址含有密码，settings.ini 会以明文保存它；请改用 HTTPS_PROXY 指定代理。</translation>
        </message>
        <message>
            <source>%1 holds no PEM certificate.</source>
            <translation>%1 中没有 PEM 证书。</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Saved; per-provider connections were written to config.yaml. New requests use these settings.</source>
            <translation>已保存；按服务商的连接方式已写入 config.yaml。新的请求将使用这些设置。</translation>
        </message>
        <message>
            <source>Saved. New requests use these settings.</source>
            <translation>已保存。新的请求将使用这些设置。</translation>
        </message>
        <message>
            <source>the network settings</source>
            <translation>网络设置</translation>
        </message>
    </context>
    <context>
        <name>NetworkPolicy</name>
        <message>
            <source>"%1" is not a proxy address; write it as http://host:port or socks5://host:port.</source>
            <translation>“%1”不是代理地址；请写成 http://主机:端口 或 socks5://主机:端口。</translation>
        </message>
        <message>
            <source>The proxy scheme "%1" is not supported; use http://, socks5:// or socks5h://.</source>
            <translation>不支持代理协议“%1”；请使用 http://、socks5:// 或 socks5h://。</translation>
        </message>
        <message>
            <source>The certificate file %1 cannot be read: %2</source>
            <translation>无法读取证书文件 %1：%2</translation>
        </message>
        <message>
            <source>The certificate file %1 holds no PEM certificate.</source>
            <translation>证书文件 %1 中没有 PEM 证书。</translation>
        </message>
    </context>
    <context>
        <name>OpenAiRequest</name>
        <message>
            <source>The request is not valid JSON: %1 at byte %2.</source>
            <translation>请求不是有效的 JSON：第 %2 字节处 %1。</translation>
        </message>
        <message>
            <source>The request must be a JSON object.</source>
            <translation>请求必须是 JSON 对象。</translation>
        </message>
        <message>
            <source>The request needs "model": a model name or "auto".</source>
            <translation>请求缺少“model”：模型名称或“auto”。</translation>
        </message>
        <message>
            <source>The request needs a non-empty "messages" list.</source>
            <translation>请求需要非空的“messages”列表。</translation>
        </message>
        <message>
            <source>Message %1 has no "role".</source>
            <translation>第 %1 条消息缺少“role”。</translation>
        </message>
        <message>
            <source>Message %1 has a content part of type "%2", which is not supported.</source>
            <translation>第 %1 条消息包含不支持的内容类型“%2”。</translation>
        </message>
        <message>
            <source>The content of message %1 must be a string or a list of parts.</source>
            <translation>第 %1 条消息的内容必须是字符串或内容片段列表。</translation>
        </message>
        <message>
            <source>"n" must be 1 here: the endpoint returns one choice per request; send the request again for another.</source>
            <translation>这里的 "n" 必须为 1：端点每个请求只返回一个结果；如需另一个结果，请再发送一次请求。</translation>
        </message>
        <message>
            <source>a boolean</source>
            <translation>布尔值</translation>
        </message>
        <message>
            <source>a string</source>
            <translation>字符串</translation>
        </message>
        <message>
            <source>an object</source>
            <translation>对象</translation>
        </message>
        <message>
            <source>an array</source>
            <translation>数组</translation>
        </message>
        <message>
            <source>a string or an object</source>
            <translation>字符串或对象</translation>
        </message>
        <message>
            <source>a string or an array</source>
            <translation>字符串或数组</translation>
        </message>
        <message>
            <source>a decimal</source>
            <translation>小数</translation>
        </message>
        <message>
            <source>an integer</source>
            <translation>整数</translation>
        </message>
        <message>
            <source>Invalid '%1': %2 below minimum value. Expected a value &gt;= %3, but got %4 instead.</source>
            <translation>“%1”无效：%2低于最小值。应 &gt;= %3，实际为 %4。</translation>
        </message>
        <message>
            <source>Invalid '%1': %2 above maximum value. Expected a value &lt;= %3, but got %4 instead.</source>
            <translation>“%1”无效：%2高于最大值。应 &lt;= %3，实际为 %4。</translation>
        </message>
        <message>
            <source>a number</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>null</source>
            <translation>null</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected %2, but got %3 instead.</source>
            <translation>“%1”的类型无效：应为%2，实际为%3。</translation>
        </message>
        <message>
            <source>Invalid type for 'stream_options.include_usage': expected a boolean, but got %1 instead.</source>
            <translation>“stream_options.include_usage”的类型无效：应为布尔值，实际为%1。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected an object, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为对象，实际为%2。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected a string, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为字符串，实际为%2。</translation>
        </message>
        <message>
            <source>Invalid type for '%1': expected an array, but got %2 instead.</source>
            <translation>“%1”的类型无效：应为数组，实际为%2。</translation>
        </message>
        <message>
            <source>decimal</source>
            <translation>小数</translation>
        </message>
        <message>
            <source>integer</source>
            <translation>整数</translation>
        </message>
    </context>
    <context>
        <name>PlainFileSecretBackend</name>
        <message>
            <source>an unencrypted file (%1)</source>
            <translation>未加密的文件（%1）</translation>
        </message>
        <message>
            <source>The key file %1 cannot be read.</source>
            <translation>无法读取密钥文件 %1。</translation>
        </message>
        <message>
            <source>No key is stored.</source>
            <translation>未存储密钥。</translation>
        </message>
        <message>
            <source>Cannot create the folder for %1.</source>
            <translation>无法为 %1 创建目录。</translation>
        </message>
        <message>
            <source>The key could not be saved to %1. Check that the disk is not full.</source>
            <translation>无法将密钥保存到 %1。请检查磁盘是否已满。</translation>
        </message>
        <message>
            <source>The key could not be removed from %1.</source>
            <translation>无法从 %1 中删除密钥。</translation>
        </message>
        <message>
            <source>The key file %1 cannot be created.</source>
            <translation>无法创建密钥文件 %1。</translation>
        </message>
    </context>
    <context>
        <name>Platform</name>
        <message>
            <source>Start switchyard-window.exe to open the window.</source>
            <translation>请运行 switchyard-window.exe 打开窗口。</translation>
        </message>
        <message>
            <source>The window cannot be opened: switchyard-window is missing (looked for %1). Reinstall Switchyard; the commands (switchyard --help) still work.</source>
            <translation>无法打开窗口：缺少 switchyard-window（查找过 %1）。请重新安装 Switchyard；命令行命令（switchyard --help）仍然可用。</translation>
        </message>
    </context>
    <context>
        <name>ProbeResult</name>
        <message>
            <source>Connected in %1 ms; the provider lists %2 models.</source>
            <translation>已连接，用时 %1 毫秒；服务商列出了 %2 个模型。</translation>
        </message>
        <message>
            <source>Connected in %1 ms; the key works (this provider has no model list).</source>
            <translation>已连接，用时 %1 毫秒；密钥可用（该服务商不提供模型列表）。</translation>
        </message>
    </context>
    <context>
        <name>Profile</name>
        <message>
            <source>Cannot create the profile folder %1. Check that the disk is not full and that you may write there.</source>
            <translation>无法创建配置目录 %1。请检查磁盘是否已满，以及你是否有写入权限。</translation>
        </message>
    </context>
    <context>
        <name>ProviderCall</name>
        <message>
            <source>no answer within %1 s</source>
            <translation>%1 秒内没有响应</translation>
        </message>
        <message>
            <source>no data for %1 s</source>
            <translation>%1 秒内没有收到数据</translation>
        </message>
        <message>
            <source>the call took longer than %1 s</source>
            <translation>调用耗时超过 %1 秒</translation>
        </message>
        <message>
            <source>The answer was not JSON.</source>
            <translation>回答不是 JSON。</translation>
        </message>
        <message>
            <source>%1 was asked for JSON and answered something else (%2 at character %3).</source>
            <translation>要求 %1 返回 JSON，但它返回了别的内容（第 %3 个字符处%2）。</translation>
        </message>
    </context>
    <context>
        <name>ProviderDetails</name>
        <message>
            <source>Enabled</source>
            <translation>启用</translation>
        </message>
        <message>
            <source>Stream answers</source>
            <translation>流式输出</translation>
        </message>
        <message>
            <source>Turn off for endpoints that fail on streaming. DISABLE_STREAMING_BETA=1 turns it off everywhere.</source>
            <translation>对不支持流式输出的端点请关闭此项。设置 DISABLE_STREAMING_BETA=1 可在所有地方关闭流式输出。</translation>
        </message>
        <message>
            <source>Region</source>
            <translation>区域</translation>
        </message>
        <message>
            <source>Base URL</source>
            <translation>基础 URL</translation>
        </message>
        <message>
            <source>Test Connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Region:</source>
            <translation>区域：</translation>
        </message>
        <message>
            <source>Base URL:</source>
            <translation>基础 URL：</translation>
        </message>
        <message>
            <source>Models and prices</source>
            <translation>模型与价格</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Provider's ID</source>
            <translation>服务商的模型 ID</translation>
        </message>
        <message>
            <source>Context</source>
            <translation>上下文</translation>
        </message>
        <message>
            <source>Currency</source>
            <translation>货币</translation>
        </message>
        <message>
            <source>Input / 1M</source>
            <translation>输入 / 百万</translation>
        </message>
        <message>
            <source>Cached input / 1M</source>
            <translation>缓存命中输入 / 百万</translation>
        </message>
        <message>
            <source>Output / 1M</source>
            <translation>输出 / 百万</translation>
        </message>
        <message>
            <source>Prices as of</source>
            <translation>价格日期</translation>
        </message>
        <message>
            <source>Prices are per 1M tokens. Edit the currency and the three prices; the date is set to today.</source>
            <translation>价格按每百万 token 计。可编辑货币和三项价格；日期会设为今天。</translation>
        </message>
        <message>
            <source>Refresh Models</source>
            <translation>刷新模型列表</translation>
        </message>
        <message>
            <source>Add Them</source>
            <translation>添加这些模型</translation>
        </message>
        <message>
            <source>Select a provider above to see its settings and models.</source>
            <translation>在上方选择一个服务商，查看其设置和模型。</translation>
        </message>
        <message>
            <source>%1 (%2 dialect)</source>
            <translation>%1（%2 协议方言）</translation>
        </message>
        <message>
            <source>One endpoint</source>
            <translation>单一端点</translation>
        </message>
        <message>
            <source>Also called: %1</source>
            <translation>别名：%1</translation>
        </message>
        <message>
            <source>no price yet</source>
            <translation>尚无价格</translation>
        </message>
        <message>
            <source>(+ tiers or off-peak in config.yaml)</source>
            <translation>（另有阶梯或低峰价格，见 config.yaml）</translation>
        </message>
        <message>
            <source>A three-letter code such as USD or CNY.</source>
            <translation>三个字母的货币代码，例如 USD 或 CNY。</translation>
        </message>
        <message>
            <source>A price per 1M tokens, such as 0.435 (at most six decimals).</source>
            <translation>每百万 token 的价格，例如 0.435（最多六位小数）。</translation>
        </message>
        <message>
            <source>Fix the value in red before saving.</source>
            <translation>请先修正红色的值再保存。</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>正在测试…</translation>
        </message>
        <message>
            <source>The key could not be read: %1</source>
            <translation>无法读取密钥：%1</translation>
        </message>
        <message>
            <source>No key is set for this provider. %1</source>
            <translation>该服务商尚未设置密钥。%1</translation>
        </message>
        <message>
            <source>Asking the provider for its models…</source>
            <translation>正在向服务商查询模型列表…</translation>
        </message>
        <message>
            <source>%1 does not publish a model list; type model ids in config.yaml.</source>
            <translation>%1 不提供模型列表；请在 config.yaml 中填写模型 ID。</translation>
        </message>
        <message>
            <source>The provider lists %1 models; all are in your list.</source>
            <translation>服务商列出了 %1 个模型，全部已在你的列表中。</translation>
        </message>
        <message>
            <source>The provider lists %1 models. Not in your list yet: %2</source>
            <translation>服务商列出了 %1 个模型。尚未在你的列表中：%2</translation>
        </message>
        <message>
            <source>Added. Check each new model's context and prices, then Save.</source>
            <translation>已添加。请检查每个新模型的上下文长度和价格，然后保存。</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Saved to config.yaml (comments in the file are not kept).</source>
            <translation>已保存到 config.yaml（文件中的注释不会保留）。</translation>
        </message>
        <message>
            <source>Saved to config.yaml.</source>
            <translation>已保存到 config.yaml。</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
        <message>
            <source>Enter both the input and the output price.</source>
            <translation>请同时填写输入价格和输出价格。</translation>
        </message>
        <message>
            <source>%1 of them have ids with control characters or over %2 characters, and are left out.</source>
            <translation>其中 %1 个模型的 ID 含有控制字符或超过 %2 个字符，已略过。</translation>
        </message>
        <message>
            <source>An embedding model: it answers POST /v1/embeddings, and is billed on input alone.</source>
            <translation>嵌入模型：响应 POST /v1/embeddings 请求，只按输入计费。</translation>
        </message>
        <message>
            <source>embedding, %1 per input</source>
            <translation>嵌入，每条输入 %1</translation>
        </message>
        <message>
            <source>embedding</source>
            <translation>嵌入</translation>
        </message>
        <message>
            <source>the provider settings</source>
            <translation>服务商设置</translation>
        </message>
        <message>
            <source>the %1 settings</source>
            <translation>%1 设置</translation>
        </message>
        <message>
            <source>The models and prices below are the team's, and are not changed here.</source>
            <translation>以下模型和价格由团队统一设定，无法在此更改。</translation>
        </message>
    </context>
    <context>
        <name>ProviderError</name>
        <message>
            <source>Check the provider's key in Settings, and that it belongs to the same region as the base URL.</source>
            <translation>请在设置中检查该服务商的密钥，并确认它与基础 URL 属于同一区域。</translation>
        </message>
        <message>
            <source>Top up the account with the provider, then try again.</source>
            <translation>请先在服务商处为账户充值，然后重试。</translation>
        </message>
        <message>
            <source>Wait %1 s and try again, or use another model.</source>
            <translation>请等待 %1 秒后重试，或改用其他模型。</translation>
        </message>
        <message>
            <source>Wait a moment and try again, or use another model.</source>
            <translation>请稍后重试，或改用其他模型。</translation>
        </message>
        <message>
            <source>The provider is busy; try again shortly or use another model.</source>
            <translation>服务商繁忙；请稍后重试或改用其他模型。</translation>
        </message>
        <message>
            <source>Shorten the input below %1 tokens, or use a model with a larger context.</source>
            <translation>请将输入缩短到 %1 个 token 以内，或改用上下文更长的模型。</translation>
        </message>
        <message>
            <source>Shorten the input, or use a model with a larger context.</source>
            <translation>请缩短输入，或改用上下文更长的模型。</translation>
        </message>
        <message>
            <source>The provider refused this content; rephrase the request or use another provider.</source>
            <translation>服务商拒绝了该内容；请换一种说法，或改用其他服务商。</translation>
        </message>
        <message>
            <source>The provider rejected the request; check the model id and the parameters.</source>
            <translation>服务商拒绝了该请求；请检查模型 ID 和参数。</translation>
        </message>
        <message>
            <source>The provider had an internal error; try again.</source>
            <translation>服务商内部出错；请重试。</translation>
        </message>
        <message>
            <source>Check the network connection and the provider's base URL.</source>
            <translation>请检查网络连接和服务商的基础 URL。</translation>
        </message>
        <message>
            <source>The provider did not answer in time; try again or use another model.</source>
            <translation>服务商未及时响应；请重试或改用其他模型。</translation>
        </message>
        <message>
            <source>The answer stopped before it was complete; the part received is kept. Continue or try again.</source>
            <translation>回答在完成前中断；已收到的部分已保留。请继续或重试。</translation>
        </message>
        <message>
            <source>The request was stopped.</source>
            <translation>请求已停止。</translation>
        </message>
        <message>
            <source>The key was refused</source>
            <translation>密钥被拒绝</translation>
        </message>
        <message>
            <source>The account has no balance left</source>
            <translation>账户余额不足</translation>
        </message>
        <message>
            <source>Rate limited</source>
            <translation>触发速率限制</translation>
        </message>
        <message>
            <source>The provider is overloaded</source>
            <translation>服务商过载</translation>
        </message>
        <message>
            <source>The input is too long for this model</source>
            <translation>输入超出该模型的上下文长度</translation>
        </message>
        <message>
            <source>Blocked by the provider's content filter</source>
            <translation>被服务商的内容审核拦截</translation>
        </message>
        <message>
            <source>The request was rejected</source>
            <translation>请求被拒绝</translation>
        </message>
        <message>
            <source>The provider failed</source>
            <translation>服务商出错</translation>
        </message>
        <message>
            <source>Network error</source>
            <translation>网络错误</translation>
        </message>
        <message>
            <source>Timed out</source>
            <translation>超时</translation>
        </message>
        <message>
            <source>The answer was cut off</source>
            <translation>回答被截断</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <source>%1 (HTTP %2): %3. %4</source>
            <translation>%1（HTTP %2）：%3。%4</translation>
        </message>
        <message>
            <source>%1 (HTTP %2). %3</source>
            <translation>%1（HTTP %2）。%3</translation>
        </message>
        <message>
            <source>%1: %2. %3</source>
            <translation>%1：%2。%3</translation>
        </message>
        <message>
            <source>%1. %2</source>
            <translation>%1。%2</translation>
        </message>
        <message>
            <source>Try again in %1 s, or use another model.</source>
            <translation>请在 %1 秒后重试，或换用其他模型。</translation>
        </message>
        <message>
            <source>If a proxy on this network inspects TLS, add its certificate in Settings → Network or as the provider's ca_file; otherwise check the host name in the base URL.</source>
            <translation>如果此网络中的代理会检查 TLS 流量，请在“设置 → 网络”中或作为该服务商的 ca_file 添加代理的证书；否则请检查 Base URL 中的主机名。</translation>
        </message>
        <message>
            <source>The provider's certificate is not trusted</source>
            <translation>服务商的证书不受信任</translation>
        </message>
        <message>
            <source>Add the provider's key in Settings, or pick a model whose provider has one.</source>
            <translation>请在设置中添加该服务商的密钥，或选择一个其服务商已有密钥的模型。</translation>
        </message>
        <message>
            <source>No key for this provider</source>
            <translation>该服务商尚无密钥</translation>
        </message>
    </context>
    <context>
        <name>ProviderProbe</name>
        <message>
            <source>The base URL answered, but not with a model list. Check that it ends where the provider's API begins (often …/v1).</source>
            <translation>基础 URL 有响应，但返回的不是模型列表。请检查它是否指向服务商 API 的起点（通常以 …/v1 结尾）。</translation>
        </message>
    </context>
    <context>
        <name>RequestAnalyzer</name>
        <message>
            <source>%1: set by the request</source>
            <translation>%1：由请求指定</translation>
        </message>
        <message>
            <source>vision: the request has an image</source>
            <translation>vision：请求中包含图片</translation>
        </message>
        <message>
            <source>long_document: about %1 input tokens</source>
            <translation>long_document：输入约 %1 个 token</translation>
        </message>
        <message>
            <source>code: the message has a code block</source>
            <translation>code：消息中包含代码块</translation>
        </message>
        <message>
            <source>code: mentions the source file '%1'</source>
            <translation>code：提到了源文件“%1”</translation>
        </message>
        <message>
            <source>reasoning: matched '%1'</source>
            <translation>reasoning：匹配到“%1”</translation>
        </message>
        <message>
            <source>chat: nothing pointed to another task</source>
            <translation>chat：没有迹象表明是其他任务</translation>
        </message>
    </context>
    <context>
        <name>RequestBuilder</name>
        <message>
            <source>Kimi does not fetch images from links; attach the image file instead.</source>
            <translation>Kimi 不会从链接获取图片；请改为附加图片文件。</translation>
        </message>
        <message>
            <source>%1 cannot see images</source>
            <translation>%1 无法识别图片</translation>
        </message>
        <message>
            <source>%1 cannot be made to call a tool (tool_choice "%2")</source>
            <translation>%1 无法被强制调用工具（tool_choice "%2"）</translation>
        </message>
        <message>
            <source>%1 cannot be held to one tool call at a time (parallel_tool_calls: false)</source>
            <translation>%1 无法限定每次只调用一个工具（parallel_tool_calls: false）</translation>
        </message>
    </context>
    <context>
        <name>RouteCommand</name>
        <message>
            <source>switchyard route: %1</source>
            <translation>switchyard route：%1</translation>
        </message>
        <message>
            <source>Name the request file: switchyard route --explain FILE (- for standard input).</source>
            <translation>请指定请求文件：switchyard route --explain 文件（用 - 表示标准输入）。</translation>
        </message>
        <message>
            <source>Cannot read %1: %2.</source>
            <translation>无法读取 %1：%2。</translation>
        </message>
        <message>
            <source>%1. Fix config.yaml first; nothing was routed.</source>
            <translation>%1。请先修正 config.yaml；未进行任何路由。</translation>
        </message>
    </context>
    <context>
        <name>RouteExpression</name>
        <message>
            <source>a number</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>a string</source>
            <translation>字符串</translation>
        </message>
        <message>
            <source>true or false</source>
            <translation>true 或 false</translation>
        </message>
        <message>
            <source>expected "and", "or" or the end of the rule, found "%1"</source>
            <translation>此处应为“and”“or”或规则结束，实际为“%1”</translation>
        </message>
        <message>
            <source>a rule must be a condition (true or false), such as context_length &gt; 80000</source>
            <translation>规则必须是一个条件（结果为真或假），例如 context_length &gt; 80000</translation>
        </message>
        <message>
            <source>the end of the rule</source>
            <translation>规则结尾</translation>
        </message>
        <message>
            <source>an unterminated string</source>
            <translation>未结束的字符串</translation>
        </message>
        <message>
            <source>the string is not closed; add %1</source>
            <translation>字符串没有结束；请补上 %1</translation>
        </message>
        <message>
            <source>"%1" is not a number</source>
            <translation>“%1”不是数字</translation>
        </message>
        <message>
            <source>use == to compare, not =</source>
            <translation>比较请使用 ==，而不是 =</translation>
        </message>
        <message>
            <source>unexpected character "%1"</source>
            <translation>意外的字符“%1”</translation>
        </message>
        <message>
            <source>"and", "or" and "not" need conditions on both sides, not %1</source>
            <translation>“and”“or”和“not”两侧必须是条件，而不是%1</translation>
        </message>
        <message>
            <source>expected %1 to compare with the left side, found %2</source>
            <translation>此处应为与左侧比较的%1，实际为%2</translation>
        </message>
        <message>
            <source>only numbers can be ordered with %1; use == or != here</source>
            <translation>只有数字可以用 %1 比较大小；此处请使用 == 或 !=</translation>
        </message>
        <message>
            <source>expected "in" after "not", found "%1"</source>
            <translation>“not”之后应为“in”，实际为“%1”</translation>
        </message>
        <message>
            <source>expected "[" to start the list after "in", found "%1"</source>
            <translation>“in”之后应以“[”开始列表，实际为“%1”</translation>
        </message>
        <message>
            <source>the list must hold %1, like the left side</source>
            <translation>列表中必须是%1，与左侧一致</translation>
        </message>
        <message>
            <source>expected "," or "]" in the list, found "%1"</source>
            <translation>列表中此处应为“,”或“]”，实际为“%1”</translation>
        </message>
        <message>
            <source>expected ")", found "%1"</source>
            <translation>此处应为“)”，实际为“%1”</translation>
        </message>
        <message>
            <source>unknown variable "%1"; use one of: %2</source>
            <translation>未知变量“%1”；可用变量：%2</translation>
        </message>
        <message>
            <source>expected a variable, a number or a string, found "%1"</source>
            <translation>此处应为变量、数字或字符串，实际为“%1”</translation>
        </message>
        <message>
            <source>the rule is too long; split it into several rules</source>
            <translation>规则过长；请拆分成几条规则</translation>
        </message>
        <message>
            <source>the rule nests too deeply</source>
            <translation>规则嵌套过深</translation>
        </message>
        <message>
            <source>expected a value after ","</source>
            <translation>“,”之后应有一个值</translation>
        </message>
    </context>
    <context>
        <name>Router</name>
        <message>
            <source>There is no model "%1"; use "auto" or one of the names in config.yaml.</source>
            <translation>没有名为“%1”的模型；请使用“auto”或 config.yaml 中的模型名称。</translation>
        </message>
        <message>
            <source>%1 was asked for by name.</source>
            <translation>请求直接指定了 %1。</translation>
        </message>
        <message>
            <source>No rule matched, so the default route chose %1.</source>
            <translation>没有规则匹配，默认路由选择了 %1。</translation>
        </message>
        <message>
            <source>No route matched and there is no default route.</source>
            <translation>没有路由匹配，且没有默认路由。</translation>
        </message>
        <message>
            <source>Task type %1.</source>
            <translation>任务类型 %1。</translation>
        </message>
        <message>
            <source>No enabled model in the chain can take about %1 input tokens.</source>
            <translation>备用链中没有已启用的模型能容纳约 %1 个输入 token。</translation>
        </message>
        <message>
            <source>Using %1 instead.</source>
            <translation>改用 %1。</translation>
        </message>
        <message>
            <source>Passed over: %1.</source>
            <translation>已跳过：%1。</translation>
        </message>
        <message>
            <source>No model in the chain can take this request: %1.</source>
            <translation>链中没有模型能处理这个请求：%1。</translation>
        </message>
        <message>
            <source>%1 is an embedding model; it answers POST /v1/embeddings, not chat.</source>
            <translation>%1 是嵌入模型；它响应 POST /v1/embeddings，而不是聊天请求。</translation>
        </message>
        <message>
            <source>%1's provider is disabled</source>
            <translation>%1 的服务商已停用</translation>
        </message>
        <message>
            <source>%1 holds only %2 tokens; about %3 are needed</source>
            <translation>%1 只能容纳 %2 个 token；约需要 %3 个</translation>
        </message>
        <message>
            <source>%1 has no key</source>
            <translation>%1 无密钥</translation>
        </message>
        <message>
            <source>No provider that could answer has a key; add one in Settings → Providers (%1 would be used first).</source>
            <translation>能回答的服务商都没有密钥；请在“设置 → 服务商”中添加（将优先使用 %1）。</translation>
        </message>
        <message>
            <source>%1 has no key; add one in Settings → Providers, or choose another model.</source>
            <translation>%1 尚未设置密钥；请在“设置 → 服务商”中添加，或选择其他模型。</translation>
        </message>
        <message>
            <source>Rule %1 matched (%2) and chose %3.</source>
            <translation>规则 %1 匹配（%2），因此选择 %3。</translation>
        </message>
        <message>
            <source>No model in the rule's chain can answer, so %1 answers instead: the first other model that can.</source>
            <translation>该规则的备用链中没有模型能回答，因此改由 %1 回答：它是其余模型中第一个能回答的。</translation>
        </message>
    </context>
    <context>
        <name>RoutesModel</name>
        <message>
            <source>There is no model "%1".</source>
            <translation>没有模型“%1”。</translation>
        </message>
        <message>
            <source>The fallback "%1" is not a model.</source>
            <translation>备用项“%1”不是模型。</translation>
        </message>
        <message>
            <source>(default: everything else)</source>
            <translation>（默认：其余所有请求）</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>When (rule)</source>
            <translation>条件（规则）</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Fallback</source>
            <translation>备用模型</translation>
        </message>
        <message>
            <source>Name: %1</source>
            <translation>名称：%1</translation>
        </message>
        <message>
            <source>Model: %1</source>
            <translation>模型：%1</translation>
        </message>
        <message>
            <source>Fallback: %1</source>
            <translation>备用项：%1</translation>
        </message>
        <message>
            <source>"%1" is an embedding model; rules choose chat models.</source>
            <translation>“%1”是嵌入模型；规则只能选择聊天模型。</translation>
        </message>
        <message>
            <source>The fallback "%1" is an embedding model; rules fall back to chat models.</source>
            <translation>备用项“%1”是嵌入模型；规则只能回退到聊天模型。</translation>
        </message>
        <message>
            <source>Rule %1, column %2: %3</source>
            <translation>第 %1 条规则，第 %2 列：%3</translation>
        </message>
        <message>
            <source>Rule %1: %2</source>
            <translation>第 %1 条规则：%2</translation>
        </message>
    </context>
    <context>
        <name>RoutingPage</name>
        <message>
            <source>The first rule that matches picks the model; the default route takes everything else. Drag rows to reorder them. The rule language is described in docs/routing.md.</source>
            <translation>第一条匹配的规则决定使用哪个模型；默认路由处理其余所有请求。拖动行可调整顺序。规则语言的说明见 docs/routing.md。</translation>
        </message>
        <message>
            <source>Routing rules</source>
            <translation>路由规则</translation>
        </message>
        <message>
            <source>Add Rule</source>
            <translation>添加规则</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Move Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <source>Move Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>Routing rules as YAML</source>
            <translation>YAML 格式的路由规则</translation>
        </message>
        <message>
            <source>Try a request:</source>
            <translation>试一个请求：</translation>
        </message>
        <message>
            <source>A request to try the rules on</source>
            <translation>用来测试规则的请求</translation>
        </message>
        <message>
            <source>Type what a user might ask, or paste a long text</source>
            <translation>输入用户可能提出的问题，或粘贴一段长文本</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>任务类型</translation>
        </message>
        <message>
            <source>Auto-detect task</source>
            <translation>自动识别任务</translation>
        </message>
        <message>
            <source>The default route cannot be removed; every request needs somewhere to go.</source>
            <translation>默认路由不能删除；每个请求都需要有去处。</translation>
        </message>
        <message>
            <source>Import Routing Rules</source>
            <translation>导入路由规则</translation>
        </message>
        <message>
            <source>YAML files (*.yaml *.yml)</source>
            <translation>YAML 文件 (*.yaml *.yml)</translation>
        </message>
        <message>
            <source>Export Routing Rules</source>
            <translation>导出路由规则</translation>
        </message>
        <message>
            <source>Exported to %1.</source>
            <translation>已导出到 %1。</translation>
        </message>
        <message>
            <source>The YAML has an error: %1</source>
            <translation>YAML 有错误：%1</translation>
        </message>
        <message>
            <source>%1 rules, all valid. Unsaved changes.</source>
            <translation>共 %1 条规则，全部有效。有未保存的更改。</translation>
        </message>
        <message>
            <source>%1 rules, all valid.</source>
            <translation>共 %1 条规则，全部有效。</translation>
        </message>
        <message>
            <source>Type a request above to see where it would go.</source>
            <translation>在上方输入一个请求，查看它会被路由到哪里。</translation>
        </message>
        <message>
            <source>Fix the rules first.</source>
            <translation>请先修正规则。</translation>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt; (%3, %4). Then: %5.&lt;br&gt;About %6 input tokens, task %7. %8</source>
            <translation>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt;（%3，%4）。备用：%5。&lt;br&gt;输入约 %6 个 token，任务 %7。%8</translation>
        </message>
        <message>
            <source>nothing</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Saved to config.yaml.</source>
            <translation>已保存到 config.yaml。</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>The rules in %1 name models this configuration does not have.</source>
            <translation>%1 中的规则引用了当前配置中没有的模型。</translation>
        </message>
        <message>
            <source>Imported %1 rules from %2. Save to use them.</source>
            <translation>已从 %2 导入 %1 条规则。保存后生效。</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>Period to replay</source>
            <translation>重放的时间段</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <source>Last 30 days</source>
            <translation>最近 30 天</translation>
        </message>
        <message>
            <source>Last 90 days</source>
            <translation>最近 90 天</translation>
        </message>
        <message>
            <source>Estimate the Bill</source>
            <translation>估算费用</translation>
        </message>
        <message>
            <source>Route the recorded calls again with the rules above, and price them with the tokens they really used</source>
            <translation>用上面的规则重新路由已记录的调用，并按它们实际使用的 token 计价</translation>
        </message>
        <message>
            <source>These rules over past calls:</source>
            <translation>用这些规则重放过去的调用：</translation>
        </message>
        <message>
            <source>Replaying…</source>
            <translation>正在重放…</translation>
        </message>
        <message>
            <source>The ledger could not be read: %1</source>
            <translation>无法读取账本：%1</translation>
        </message>
        <message>
            <source>No calls were recorded in this period, so there is nothing to replay.</source>
            <translation>此期间没有记录任何调用，无可重放。</translation>
        </message>
        <message>
            <source>%1 calls would have cost %2 (they cost %3); %4 go to another model.</source>
            <translation>%1 次调用将花费 %2（实际花费 %3）；其中 %4 次会改用其他模型。</translation>
        </message>
        <message>
            <source>%1 would go to models with no price and are not counted.</source>
            <translation>其中 %1 次会发往没有价格的模型，未计入。</translation>
        </message>
        <message>
            <source>The ledger does not keep %1; those conditions are judged from the task type, or taken as 0 and "auto".</source>
            <translation>账本不保存 %1；这些条件根据任务类型判断，或按 0 和“auto”处理。</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1（%2）</translation>
        </message>
        <message>
            <source>Passed over: %1.</source>
            <translation>已跳过：%1。</translation>
        </message>
        <message>
            <source>the routing rules</source>
            <translation>路由规则</translation>
        </message>
        <message numerus="yes">
            <source>%n added</source>
            <translation>
                <numerusform>新增 %n 条</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n changed</source>
            <translation>
                <numerusform>修改 %n 条</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n removed</source>
            <translation>
                <numerusform>删除 %n 条</numerusform>
            </translation>
        </message>
        <message>
            <source>reordered</source>
            <translation>顺序已调整</translation>
        </message>
        <message numerus="yes">
            <source>routes: %n rule(s)</source>
            <translation>
                <numerusform>路由：%n 条规则</numerusform>
            </translation>
        </message>
        <message>
            <source>Publishing to the team…</source>
            <translation>正在发布到团队…</translation>
        </message>
        <message>
            <source>Not published: %1</source>
            <translation>未发布：%1</translation>
        </message>
        <message>
            <source>Published as version %1 of the team's rules.</source>
            <translation>已发布为团队规则的第 %1 版。</translation>
        </message>
    </context>
    <context>
        <name>SaveBar</name>
        <message>
            <source>Revert</source>
            <translation>还原</translation>
        </message>
        <message>
            <source>Discard the changes and show what is saved</source>
            <translation>放弃更改，显示已保存的内容</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>有未保存的更改</translation>
        </message>
        <message>
            <source>Changes discarded.</source>
            <translation>已放弃更改。</translation>
        </message>
    </context>
    <context>
        <name>SecretStore</name>
        <message>
            <source>The keychain did not answer in time. If it asked for a password, unlock it and try again.</source>
            <translation>钥匙串未及时响应。如果它要求输入密码，请解锁后重试。</translation>
        </message>
    </context>
    <context>
        <name>ServeCommand</name>
        <message>
            <source>%1. Fix config.yaml first; the endpoint did not start.</source>
            <translation>%1。请先修正 config.yaml；端点没有启动。</translation>
        </message>
        <message>
            <source>The ledger cannot be written, so calls are not recorded: %1</source>
            <translation>无法写入账本，调用将不会被记录：%1</translation>
        </message>
        <message>
            <source>Warning: %1</source>
            <translation>警告：%1</translation>
        </message>
        <message>
            <source>Clients authenticate with the key in %1.</source>
            <translation>客户端使用 %1 中的密钥进行认证。</translation>
        </message>
        <message>
            <source>Clients authenticate with the endpoint's key from the keychain (shown in Settings → Endpoint); set %1 to choose it yourself.</source>
            <translation>客户端使用钥匙串中的端点密钥进行认证（见“设置 → 端点”）；设置 %1 可自行指定密钥。</translation>
        </message>
        <message numerus="yes">
            <source>Team ledger: %1 (%n row(s) waiting)</source>
            <translation>
                <numerusform>团队账本：%1（%n 条记录待发送）</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Try Again</source>
            <translation>重试</translation>
        </message>
        <message>
            <source>Store Keys in a Plain File…</source>
            <translation>将密钥保存在明文文件中…</translation>
        </message>
        <message>
            <source>Use the System Keychain</source>
            <translation>使用系统钥匙串</translation>
        </message>
        <message>
            <source>Provider keys</source>
            <translation>服务商密钥</translation>
        </message>
        <message>
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>Base URL</source>
            <translation>基础 URL</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <source>Set Key…</source>
            <translation>设置密钥…</translation>
        </message>
        <message>
            <source>Remove Key</source>
            <translation>删除密钥</translation>
        </message>
        <message>
            <source>Configuration</source>
            <translation>配置</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>重新加载</translation>
        </message>
        <message>
            <source>Open Profile Folder</source>
            <translation>打开配置目录</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>Keys: checking the keychain…</source>
            <translation>密钥：正在检查钥匙串…</translation>
        </message>
        <message>
            <source>Keys: no working keychain</source>
            <translation>密钥：没有可用的钥匙串</translation>
        </message>
        <message>
            <source>Keys: unencrypted file</source>
            <translation>密钥：未加密文件</translation>
        </message>
        <message>
            <source>Keys: system keychain</source>
            <translation>密钥：系统钥匙串</translation>
        </message>
        <message>
            <source>Checking where keys can be kept…</source>
            <translation>正在检查密钥可以保存在哪里…</translation>
        </message>
        <message>
            <source>&lt;b&gt;Keys cannot be stored safely.&lt;/b&gt; %1&lt;br&gt;Keys set in environment variables (api_key_env in config.yaml) still work.</source>
            <translation>&lt;b&gt;无法安全地保存密钥。&lt;/b&gt;%1&lt;br&gt;通过环境变量设置的密钥（config.yaml 中的 api_key_env）仍然可用。</translation>
        </message>
        <message>
            <source>&lt;b&gt;Keys are stored unencrypted&lt;/b&gt; in %1, because you chose to. Anyone who can read your files can read them.</source>
            <translation>&lt;b&gt;密钥以未加密方式保存&lt;/b&gt;在%1中，这是你选择的。任何能读取你文件的人都能读取这些密钥。</translation>
        </message>
        <message>
            <source>Keys are kept in %1. They are never written to the profile, logs or exports.</source>
            <translation>密钥保存在%1中，绝不会写入配置目录、日志或导出文件。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在检查…</translation>
        </message>
        <message>
            <source>Stored</source>
            <translation>已保存</translation>
        </message>
        <message>
            <source>Not set</source>
            <translation>未设置</translation>
        </message>
        <message>
            <source>From $%1</source>
            <translation>来自 $%1</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>File: %1</source>
            <translation>文件：%1</translation>
        </message>
        <message>
            <source>&lt;b&gt;config.yaml has an error and was not applied.&lt;/b&gt; %1&lt;br&gt;The last good configuration is still in use. Fix the file and it is read again automatically.</source>
            <translation>&lt;b&gt;config.yaml 有错误，未被应用。&lt;/b&gt;%1&lt;br&gt;仍在使用上一次有效的配置。修正文件后会自动重新读取。</translation>
        </message>
        <message>
            <source>Saving the key for %1…</source>
            <translation>正在保存 %1 的密钥…</translation>
        </message>
        <message>
            <source>The key for %1 was saved.</source>
            <translation>%1 的密钥已保存。</translation>
        </message>
        <message>
            <source>The key for %1 was not saved: %2</source>
            <translation>%1 的密钥未能保存：%2</translation>
        </message>
        <message>
            <source>The key for %1 was removed.</source>
            <translation>%1 的密钥已删除。</translation>
        </message>
        <message>
            <source>The key for %1 was not removed: %2</source>
            <translation>%1 的密钥未能删除：%2</translation>
        </message>
        <message>
            <source>Store Keys Unencrypted?</source>
            <translation>以未加密方式保存密钥？</translation>
        </message>
        <message>
            <source>No working keychain was found. Switchyard can keep your keys in a plain file instead:

%1

The file is readable only by you, but it is not encrypted: backups, other programs you run and anyone with access to your account can read the keys. Use this only if you cannot run a keychain.</source>
            <translation>未找到可用的钥匙串。Switchyard 可以改为把密钥保存在明文文件中：

%1

该文件只有你可以读取，但没有加密：备份、你运行的其他程序以及任何能访问你账户的人都能读取这些密钥。仅在无法运行钥匙串时使用。</translation>
        </message>
        <message>
            <source>Store Unencrypted</source>
            <translation>以未加密方式保存</translation>
        </message>
        <message>
            <source>Keys are read from the system keychain again. The plain file was left in place: %1</source>
            <translation>已重新从系统钥匙串读取密钥。明文文件仍保留在原处：%1</translation>
        </message>
        <message>
            <source>There is no config.yaml yet, so the built-in catalog is in use. Providers: %1, models: %2.</source>
            <translation>尚无 config.yaml，正在使用内置目录。服务商：%1 个，模型：%2 个。</translation>
        </message>
        <message>
            <source>Loaded. Providers: %1, models: %2, routes: %3.</source>
            <translation>已加载。服务商：%1 个，模型：%2 个，路由：%3 条。</translation>
        </message>
        <message>
            <source>Warnings: %1. The first: %2</source>
            <translation>警告：%1 条。第一条：%2</translation>
        </message>
        <message>
            <source>Providers</source>
            <translation>服务商</translation>
        </message>
        <message>
            <source>Routing</source>
            <translation>路由</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>Unsaved Changes</source>
            <translation>未保存的更改</translation>
        </message>
        <message>
            <source>Save changes to %1?</source>
            <translation>%1有未保存的更改，是否保存？</translation>
        </message>
        <message>
            <source>If you don't save them, your changes will be lost.</source>
            <translation>如果不保存，你所做的更改将会丢失。</translation>
        </message>
        <message>
            <source>Team</source>
            <translation>团队</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
    </context>
    <context>
        <name>TeamCommand</name>
        <message>
            <source>switchyard %1: %2</source>
            <translation>switchyard %1：%2</translation>
        </message>
        <message>
            <source>switchyard %1: the keychain could not be read (%2); trying libpq's PGPASSWORD and PGPASSFILE.</source>
            <translation>switchyard %1：无法读取钥匙串（%2）；改为尝试 libpq 的 PGPASSWORD 和 PGPASSFILE。</translation>
        </message>
        <message>
            <source>Use: switchyard team init postgresql://USER@HOST:PORT/DATABASE, or switchyard team status.</source>
            <translation>用法：switchyard team init postgresql://用户@主机:端口/数据库，或 switchyard team status。</translation>
        </message>
        <message>
            <source>switchyard team init: %1</source>
            <translation>switchyard team init：%1</translation>
        </message>
        <message>
            <source>The team database is already at schema %1.</source>
            <translation>团队数据库已是结构版本 %1。</translation>
        </message>
        <message>
            <source>Set up the team database: schema %1 (was %2).</source>
            <translation>已设置团队数据库：结构版本 %1（原为 %2）。</translation>
        </message>
        <message>
            <source>Group roles: %1 (add ledger rows, read the team's bill) and %2 (also change the team's rules).</source>
            <translation>组角色：%1（添加账本记录、查看团队账单）和 %2（还可修改团队规则）。</translation>
        </message>
        <message>
            <source>Your role may not create roles. Have a database administrator run:</source>
            <translation>你的角色不能创建角色。请数据库管理员运行：</translation>
        </message>
        <message>
            <source>Give each member a login role and one of the group roles, for example:</source>
            <translation>为每位成员创建一个登录角色，并授予其中一个组角色，例如：</translation>
        </message>
        <message>
            <source>Then each member adds to config.yaml:</source>
            <translation>然后每位成员在 config.yaml 中加入：</translation>
        </message>
        <message>
            <source>and keeps the password in the keychain: switchyard keys set team</source>
            <translation>并把密码保存在钥匙串中：switchyard keys set team</translation>
        </message>
        <message>
            <source>switchyard team status: %1</source>
            <translation>switchyard team status：%1</translation>
        </message>
        <message>
            <source>switchyard team status: this profile is not in a team. Add a "team:" section to %1 or use Settings → Team.</source>
            <translation>switchyard team status：此配置目录未加入团队。请在 %1 中加入 “team:” 一节，或使用“设置 → 团队”。</translation>
        </message>
        <message>
            <source>Member: %1</source>
            <translation>成员：%1</translation>
        </message>
        <message>
            <source>Rows waiting to be sent: %1</source>
            <translation>等待发送的记录：%1</translation>
        </message>
        <message>
            <source>Last send: %1</source>
            <translation>上次发送：%1</translation>
        </message>
        <message>
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <source>Team rules in force: version %1 by %2, %3</source>
            <translation>生效的团队规则：第 %1 版，由 %2 发布，%3</translation>
        </message>
        <message>
            <source>Team rules in force: none (this machine's config.yaml)</source>
            <translation>生效的团队规则：无（使用本机的 config.yaml）</translation>
        </message>
        <message>
            <source>Server: %1</source>
            <translation>服务器：%1</translation>
        </message>
        <message>
            <source>Team schema: %1</source>
            <translation>团队结构版本：%1</translation>
        </message>
        <message>
            <source>Team rules on the server: version %1 by %2, %3</source>
            <translation>服务器上的团队规则：第 %1 版，由 %2 发布，%3</translation>
        </message>
        <message>
            <source>Team rules on the server: none published yet</source>
            <translation>服务器上的团队规则：尚未发布</translation>
        </message>
        <message>
            <source>May change the team's rules: %1</source>
            <translation>可修改团队规则：%1</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
    </context>
    <context>
        <name>TeamDatabase</name>
        <message>
            <source>"%1" is not a PostgreSQL address such as postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full</source>
            <translation>“%1”不是 PostgreSQL 地址（例如 postgresql://alice@db.example.com:5432/switchyard?sslmode=verify-full）</translation>
        </message>
        <message>
            <source>The address holds a password. Take it out and keep the password in the keychain: switchyard keys set team</source>
            <translation>地址中包含密码。请将其删除，并把密码保存在钥匙串中：switchyard keys set team</translation>
        </message>
        <message>
            <source>The address names no database; end it with the database's name, as in …:5432/switchyard</source>
            <translation>地址中没有指定数据库；请在末尾加上数据库名称，例如 …:5432/switchyard</translation>
        </message>
        <message>
            <source>"%1" in the address is not a connection setting Switchyard passes on; use %2</source>
            <translation>地址中的“%1”不是 Switchyard 会传递的连接设置；请使用 %2</translation>
        </message>
        <message>
            <source>Qt's PostgreSQL driver is not installed (Debian: apt install libqt6sql6-psql).</source>
            <translation>未安装 Qt 的 PostgreSQL 驱动（Debian：apt install libqt6sql6-psql）。</translation>
        </message>
        <message>
            <source>Cannot reach the team database %1: %2</source>
            <translation>无法连接团队数据库 %1：%2</translation>
        </message>
        <message>
            <source>the server gave no reason</source>
            <translation>服务器未给出原因</translation>
        </message>
        <message>
            <source>not encrypted</source>
            <translation>未加密</translation>
        </message>
        <message>
            <source>TLS (%1, sslmode=%2)</source>
            <translation>TLS（%1，sslmode=%2）</translation>
        </message>
        <message>
            <source>PostgreSQL %1 at %2:%3, database %4, %5</source>
            <translation>PostgreSQL %1，位于 %2:%3，数据库 %4，%5</translation>
        </message>
        <message>
            <source>The team database was set up by a newer Switchyard (schema %1; this version knows up to %2). Update Switchyard.</source>
            <translation>团队数据库由更新版本的 Switchyard 设置（结构版本 %1；当前版本最高支持 %2）。请更新 Switchyard。</translation>
        </message>
        <message>
            <source>Setting up schema %1 failed, nothing was changed: %2</source>
            <translation>设置结构版本 %1 失败，未做任何更改：%2</translation>
        </message>
        <message>
            <source>The team database did not let your role (%1) change the team's rules. Only rule editors may: ask whoever runs the team database to grant you the role %2.</source>
            <translation>团队数据库不允许你的角色（%1）更改团队规则。只有规则编辑者可以更改：请让团队数据库的管理者授予你角色 %2。</translation>
        </message>
    </context>
    <context>
        <name>TeamLink</name>
        <message>
            <source>The team's rules (version %1)</source>
            <translation>团队规则（第 %1 版）</translation>
        </message>
        <message>
            <source>This profile is not in a team, or its team database is not set up.</source>
            <translation>此配置目录未加入团队，或其团队数据库尚未设置。</translation>
        </message>
    </context>
    <context>
        <name>TeamLink::Worker</name>
        <message>
            <source>The team database cannot be reached (%1). Nothing was changed.</source>
            <translation>无法连接团队数据库（%1）。未做任何更改。</translation>
        </message>
        <message>
            <source>the database %1 is not set up for a team yet; run: switchyard team init URL</source>
            <translation>数据库 %1 尚未设置为团队数据库；请运行：switchyard team init URL</translation>
        </message>
        <message>
            <source>the team database refused this member's rows (%1); ask for the role %2</source>
            <translation>团队数据库拒绝了此成员的记录（%1）；请申请角色 %2</translation>
        </message>
        <message>
            <source>the team database's ledger has no column %1; run: switchyard team init URL</source>
            <translation>团队数据库的账本缺少列 %1；请运行：switchyard team init URL</translation>
        </message>
        <message>
            <source>waiting for the local ledger: %1</source>
            <translation>正在等待本地账本：%1</translation>
        </message>
        <message>
            <source>the team database refused a batch of rows (%1)</source>
            <translation>团队数据库拒绝了一批记录（%1）</translation>
        </message>
    </context>
    <context>
        <name>TeamPage</name>
        <message>
            <source>A team keeps one ledger and one set of rules on a PostgreSQL database: every call is recorded here first, then sent to it. Your providers and keys stay on this machine. Setting up the database is described in docs/team.md.</source>
            <translation>团队在一个 PostgreSQL 数据库中保存一本账本和一套规则：每次调用先记录在本机，再发送到该数据库。你的服务商和密钥始终留在本机。数据库的设置方法见 docs/team.md。</translation>
        </message>
        <message>
            <source>Team database</source>
            <translation>团队数据库</translation>
        </message>
        <message>
            <source>postgresql://you@db.example.com/team?sslmode=verify-full</source>
            <translation>postgresql://you@db.example.com/team?sslmode=verify-full</translation>
        </message>
        <message>
            <source>Your name in the team's ledger</source>
            <translation>你在团队账本中的名字</translation>
        </message>
        <message>
            <source>Database password</source>
            <translation>数据库密码</translation>
        </message>
        <message>
            <source>Test Connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Leave Team…</source>
            <translation>退出团队…</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>地址：</translation>
        </message>
        <message>
            <source>Member:</source>
            <translation>成员：</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>密码：</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Team ledger:</source>
            <translation>团队账本：</translation>
        </message>
        <message>
            <source>Server:</source>
            <translation>服务器：</translation>
        </message>
        <message>
            <source>Waiting to be sent:</source>
            <translation>待发送：</translation>
        </message>
        <message>
            <source>Last send:</source>
            <translation>上次发送：</translation>
        </message>
        <message>
            <source>Rules:</source>
            <translation>规则：</translation>
        </message>
        <message>
            <source>the team settings</source>
            <translation>团队设置</translation>
        </message>
        <message>
            <source>Give the team database's address, or clear the member name.</source>
            <translation>请填写团队数据库的地址，或清空成员名。</translation>
        </message>
        <message>
            <source>Give your name in the team's ledger.</source>
            <translation>请填写你在团队账本中的名字。</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Saved to config.yaml.</source>
            <translation>已保存到 config.yaml。</translation>
        </message>
        <message>
            <source>Saved to config.yaml; storing the password in the keychain…</source>
            <translation>已保存到 config.yaml；正在将密码存入钥匙串…</translation>
        </message>
        <message>
            <source>Saved. The password is stored in the keychain.</source>
            <translation>已保存。密码已存入钥匙串。</translation>
        </message>
        <message>
            <source>The password was not stored: %1</source>
            <translation>密码未能保存：%1</translation>
        </message>
        <message>
            <source>A password is stored in the keychain. Type a new one to replace it.</source>
            <translation>钥匙串中已保存密码。输入新密码即可替换。</translation>
        </message>
        <message>
            <source>No password in the keychain: libpq's PGPASSWORD or ~/.pgpass is used, if set.</source>
            <translation>钥匙串中没有密码：如已设置，将使用 libpq 的 PGPASSWORD 或 ~/.pgpass。</translation>
        </message>
        <message>
            <source>The keychain cannot be read: %1</source>
            <translation>无法读取钥匙串：%1</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
        <message>
            <source>Up to date: every call has been sent.</source>
            <translation>已同步：所有调用均已发送。</translation>
        </message>
        <message>
            <source>Sending.</source>
            <translation>正在发送。</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source>Unreachable since %1; calls wait here until it can be reached.</source>
            <translation>自 %1 起无法连接；调用将在本机等待，直到可以连接。</translation>
        </message>
        <message>
            <source>Not connected yet</source>
            <translation>尚未连接</translation>
        </message>
        <message numerus="yes">
            <source>%n call(s)</source>
            <translation>
                <numerusform>%n 次调用</numerusform>
            </translation>
        </message>
        <message>
            <source>Nothing sent yet</source>
            <translation>尚未发送任何调用</translation>
        </message>
        <message>
            <source>Not known yet: they are read when the team database is reached.</source>
            <translation>尚不清楚：连接到团队数据库后才会读取。</translation>
        </message>
        <message>
            <source>Share This Machine's Rules with the Team</source>
            <translation>与团队共享本机规则</translation>
        </message>
        <message>
            <source>Replace with This Machine's Rules…</source>
            <translation>用本机规则替换…</translation>
        </message>
        <message>
            <source>Publishing…</source>
            <translation>正在发布…</translation>
        </message>
        <message>
            <source>this machine's rules, from %1</source>
            <translation>本机规则，来自 %1</translation>
        </message>
        <message>
            <source>Published as version %1.</source>
            <translation>已发布为第 %1 版。</translation>
        </message>
        <message>
            <source>Replace the Team's Rules?</source>
            <translation>替换团队规则？</translation>
        </message>
        <message>
            <source>Every member will use this machine's models, prices, routes, budgets and currency rates (from its config.yaml) instead of version %1. Its providers and keys are not sent.</source>
            <translation>所有成员都将改用本机的模型、价格、路由、预算和汇率（来自其 config.yaml），不再使用第 %1 版。本机的服务商和密钥不会被发送。</translation>
        </message>
        <message>
            <source>Replace</source>
            <translation>替换</translation>
        </message>
        <message>
            <source>Give the team database's address first.</source>
            <translation>请先填写团队数据库的地址。</translation>
        </message>
        <message>
            <source>Connected to %1, but the team's tables cannot be read: %2</source>
            <translation>已连接到 %1，但无法读取团队的数据表：%2</translation>
        </message>
        <message>
            <source>Connected to %1. The database is not set up for a team yet: run switchyard team init with this address.</source>
            <translation>已连接到 %1。该数据库尚未设置为团队数据库：请用此地址运行 switchyard team init。</translation>
        </message>
        <message>
            <source>Connected to %1. This member may publish the team's rules.</source>
            <translation>已连接到 %1。此成员可以发布团队规则。</translation>
        </message>
        <message>
            <source>Connected to %1. This member uses the team's rules but may not change them.</source>
            <translation>已连接到 %1。此成员使用团队规则，但无权更改。</translation>
        </message>
        <message>
            <source>Could not connect: %1</source>
            <translation>无法连接：%1</translation>
        </message>
        <message>
            <source>Leave the Team?</source>
            <translation>退出团队？</translation>
        </message>
        <message>
            <source>This profile stops sending its calls to the team database and uses its own rules again. The calls already sent stay in the team's ledger.</source>
            <translation>此配置目录将不再向团队数据库发送调用，并重新使用自己的规则。已发送的调用仍保留在团队账本中。</translation>
        </message>
        <message numerus="yes">
            <source>%n call(s) not sent yet will stay on this machine only.</source>
            <translation>
                <numerusform>尚未发送的 %n 次调用将只保留在本机。</numerusform>
            </translation>
        </message>
        <message>
            <source>Leave Team</source>
            <translation>退出团队</translation>
        </message>
        <message>
            <source>Still in the team: %1</source>
            <translation>仍在团队中：%1</translation>
        </message>
        <message>
            <source>You left the team.</source>
            <translation>你已退出团队。</translation>
        </message>
        <message>
            <source>You left the team, but its password could not be removed from the keychain: %1</source>
            <translation>你已退出团队，但无法从钥匙串中删除其密码：%1</translation>
        </message>
    </context>
    <context>
        <name>TeamRulesBanner</name>
        <message>
            <source>just now</source>
            <translation>刚刚</translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s) ago</source>
            <translation>
                <numerusform>%n 分钟前</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s) ago</source>
            <translation>
                <numerusform>%n 小时前</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>%n 天前</numerusform>
            </translation>
        </message>
        <message>
            <source>on %1</source>
            <translation>%1</translation>
        </message>
        <message>
            <source>The team has published no rules yet.</source>
            <translation>团队尚未发布任何规则。</translation>
        </message>
        <message>
            <source>The team's rules (version %1) cannot be used on this machine, so its own rules are in force: %2</source>
            <translation>团队规则（第 %1 版）无法在本机使用，因此本机规则仍然生效：%2</translation>
        </message>
        <message>
            <source>Rules from the team, version %1 by %2, %3.</source>
            <translation>规则来自团队：第 %1 版，由 %2 发布（%3）。</translation>
        </message>
        <message>
            <source>Only the team's rule editors can change them.</source>
            <translation>只有团队的规则编辑者才能更改这些规则。</translation>
        </message>
        <message>
            <source>Saving publishes a new version for the whole team.</source>
            <translation>保存将为整个团队发布一个新版本。</translation>
        </message>
    </context>
    <context>
        <name>TeamStatusLabel</name>
        <message>
            <source>Team ledger: connecting…</source>
            <translation>团队账本：正在连接…</translation>
        </message>
        <message numerus="yes">
            <source>Team ledger: %n call(s) waiting</source>
            <translation>
                <numerusform>团队账本：%n 次调用待发送</numerusform>
            </translation>
        </message>
        <message>
            <source>Team ledger: up to date</source>
            <translation>团队账本：已同步</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
        <message numerus="yes">
            <source>Team ledger: unreachable since %1, %n call(s) waiting</source>
            <translation>
                <numerusform>团队账本：自 %1 起无法连接，%n 次调用待发送</numerusform>
            </translation>
        </message>
        <message>
            <source>Team ledger: unreachable since %1</source>
            <translation>团队账本：自 %1 起无法连接</translation>
        </message>
        <message>
            <source>Team ledger: %1</source>
            <translation>团队账本：%1</translation>
        </message>
        <message>
            <source>Server: %1</source>
            <translation>服务器：%1</translation>
        </message>
        <message>
            <source>not connected yet</source>
            <translation>尚未连接</translation>
        </message>
        <message>
            <source>Member: %1</source>
            <translation>成员：%1</translation>
        </message>
        <message>
            <source>Last send: %1</source>
            <translation>上次发送：%1</translation>
        </message>
        <message>
            <source>nothing sent yet</source>
            <translation>尚未发送</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>错误：%1</translation>
        </message>
    </context>
</TS>

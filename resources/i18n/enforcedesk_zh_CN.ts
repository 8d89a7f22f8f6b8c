<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="zh_CN">
<context>
    <name>AccountsPage</name>
    <message>
        <source>用户账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>每名执法人员一个账户，登录后以本人名义办理。账户只保存在本机，不随同步包发送；外勤笔记本的账户在笔记本上开设。修改自己的密码：文件 → 修改密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开设时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开设账户…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置密码…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>启用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>解锁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有中队长（管理员）可以开设和管理账户。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正常</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>须修改密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已开设账户 {u}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已重置 {u} 的密码；本人下次登录时须修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用后 {u} 不能再登录，其已办理的记录不受影响。确定停用吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已启用 {u}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用 {u}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已解锁 {u}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AgreementDialog</name>
    <message>
        <source>协议内容（逐项写明义务人、权利人、内容、金额或者标的物、履行方式和期限）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>添加证据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移除所选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只能移除尚未保存的文件；已保存的证据不能删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据材料（照片、视频、文件；按内容去重保存）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择证据文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>图片和视频 (*.jpg *.jpeg *.png *.bmp *.gif *.heic *.mp4 *.mov *.3gp);;PDF 文件 (*.pdf);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{name}”与已添加的“{twin}”内容相同，无需重复添加</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}
SHA-256 {sha}
{size} 字节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（文件待同步）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}
（待保存）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}
{size} 字节，保存记录时一并存入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已选 {n} 件，保存时一并存入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可添加现场照片、视频或文件，保存记录时一并存入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 件</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupTab</name>
    <message>
        <source>立即备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备份文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>大小</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序每天首次启动时自动备份一次。重要操作前、更换电脑前请“立即备份”，并把备份文件另存到U盘等其他位置。恢复会用备份替换当前数据，恢复前自动再备份一次当前数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备份文件夹：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在备份数据库…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已备份到 {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择要恢复的备份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EnforceDesk 数据库 (*.sqlite3 *.db);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将用备份“{name}”替换当前全部数据。
当前数据会先自动备份。恢复后需要重新启动程序。

确定恢复吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还有未确认的记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机还有 {n} 条记录尚未被接收方确认（未导出或未收到回执）。
恢复旧备份后，这些记录的最新内容将不在本机，也不会再随同步包发出。

请先到“同步”页导出同步包并交给接收方。已经导出、仍要恢复吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消恢复：请先导出同步包（还有 {n} 条记录未确认）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在恢复…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在从备份恢复…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已从“{name}”恢复。恢复前的数据已备份到 {safety}。请关闭并重新启动程序。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据已从备份恢复。
恢复前的数据已另存为：{safety}

请关闭并重新启动程序后继续工作。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>（另有 {n} 个乡镇未画出）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有数据</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CalendarDayDialog</name>
    <message>
        <source>修改特殊日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加特殊日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：春节、彝族年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>节假日休息和地方性假日不计入工作日；调休上班的周末计为工作日。修改后新办理的期限按新安排计算。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CampaignDialog</name>
    <message>
        <source>新建专项整治</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：2026年春季建筑工地扬尘专项整治</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（综合，不限领域）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整治目标、范围、工作安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开始日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>新建案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择办案程序：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记案件线索（普通程序）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场处罚（简易程序）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <source>执法文书…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可办理的环节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>裁量辅助</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>裁量档次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办案流程</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办理记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>需法制审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>需集体讨论</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人享有听证权利</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人为未成年人：应当从轻或减轻</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件已办结，没有可办理的环节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>建议罚款 {lo} — {hi} 元（建议 {mid} 元）；法定幅度：{stat}
理由：{why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结案前须制发的文书：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请注意</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请确认</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>设置新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>您的密码是别人为您设置的（系统生成或由中队长设定）。请先设置只有您自己知道的新密码，再开始使用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>至少8位，须同时包含字母和数字。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>返回登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecklistTable</name>
    <message>
        <source>检查内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClueDialog</name>
    <message>
        <source>新建案件线索</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行为有连续或继续状态，终了于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为的时间、地点、经过及现场情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已造成危害后果（涉及公民生命健康安全、金融安全的，追责时效为五年）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为发生日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法事实</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommitteeDialog</name>
    <message>
        <source>修改调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>建立调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：竹根镇新华村人民调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>与名称相同时可不填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：新华村；不填则按名称生成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>印章名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书代字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本委员会的调解文书以此代字编号，如“新华村调协字〔2026〕第1号”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本届任期起始</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>任期三年，届满应当换届（《人民调解法》第九条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地址</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommitteesPage</name>
    <message>
        <source>调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>委员会主任</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>委员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>聘任调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>任期至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>建立调解委员会…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>民族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>职务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加调解员…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改调解员…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人民调解委员会由委员三至九人组成，设主任一人，应当有妇女成员，多民族居住地区应当有人数较少民族的成员；每届任期三年（《人民调解法》第八条、第九条）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有中队长（管理员）可以建立和修改调解委员会。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>还没有调解委员会。点“建立调解委员会…”开始。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本届任期 {a} 至 {b}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>任期未填写</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ 组成符合《人民调解法》第八条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在任</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已恢复 {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用 {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>同步包文件不存在：{path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法读写数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序发生意外错误</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序发生意外错误。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>错误详情已记录到：
{path}

请将此文件发送给技术支持人员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>错误详情无法写入日志文件，请截图本窗口并联系技术支持人员。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DayKind</name>
    <message>
        <source>地方性假日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>节假日休息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调休上班</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeadlineTable</name>
    <message>
        <source>期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>到期日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已完成 {d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已届满（未使用）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已逾期 {n} 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今天到期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>剩余 {n} 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该年度节假日安排尚未公布，按周一至周五暂定计算，公布后自动重算</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailPage</name>
    <message>
        <source>批量制发本专项整治的责令改正通知书…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择保存文书的文件夹（可为U盘）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>赋权事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未关联案件的检查记录按哪个事项编码制发（如 SR-003）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本专项整治没有责令限期整改的检查记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已制发 {n} 份，保存在 {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；{m} 份未制发：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（已取消其余）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批量制发责令改正通知书</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>District</name>
    <message>
        <source> 年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不足1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前角色无权办理此事项（需区级管理员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>持平</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>百分点</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentDialog</name>
    <message>
        <source>执法文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制发（编号并锁定）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>另存为PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整卷生成（卷宗）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书种类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在生成预览…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览（未编号）。制发后编号锁定，之后只能以更正文书修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认制发</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制发</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>《{title}》将编为 {number}，制发后编号和内容锁定，不能修改或删除，只能以更正文书更正。

确定制发吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已制发：{number}
SHA-256：{digest}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制发文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存到 {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发送打印：{n} 页</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>卷宗已生成（{kb} KB），可另存或打印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成卷宗</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EncryptPrompt</name>
    <message>
        <source>加密本数据库中的个人信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本数据库是旧版本建立的，个人信息尚未加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人、询问对象的身份证号、电话、住址，询问笔录、文书全文和证据照片目前以明文保存在本机：电脑、硬盘或U盘丢失时，任何人都能读取。您是管理员，现在可以加密它们。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即加密时，程序将依次：
1. 先备份数据库（保存在数据库旁的 backups 文件夹）；
2. 用新的数据密钥加密上述个人信息和全部证据附件，并清除数据库文件中的明文残留；
3. 显示一次恢复密钥：请打印或抄写后放入办公室保险柜。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请注意：
• 这次加密前的备份和此前的备份仍是明文，完成后会逐个列出，请核对后删除或放入保险柜；
• 加密后，您的密码就是解锁数据的钥匙；其他账户须由您在“用户账户”页面重置密码后才能登录；
• 数据较多时需要几分钟，期间请勿关机。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂不加密：本次照常使用（数据仍为明文），下次登录时会再次询问。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立即加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂不加密</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EncryptUpgrade</name>
    <message>
        <source>{reason}

数据库没有任何改动。本次照常使用，下次登录时会再次询问。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以下备份是加密前做的，仍含明文的身份证号、电话和住址。请核对加密后的数据无误后删除，或放入保险柜保管：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以下账户须由您在“用户账户”页面重置密码后才能登录：{names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>加密完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>加密未全部完成</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>加密这些个人信息前做的备份仍含明文，请核对后删除或放入保险柜保管：
{backup}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已加密本数据库中的个人信息（{values} 项）和证据附件（{files} 个），数据库文件中不再留有明文。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已加密此前仍为明文的个人信息（{values} 项）和证据附件（{files} 个），数据库文件中不再留有明文。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消：数据库没有任何改动。本次照常使用，下次登录时会再次询问。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已完成上次未完成的加密：证据附件 {files} 个，数据库文件中不再留有明文。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>您选择了暂不加密，下次登录时会再次询问。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件夹 {folder} 中：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未能加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本数据库尚未加密：当事人的身份证号、电话、住址和证据照片仍以明文保存在本机。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在加密个人信息…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在完成上次未完成的加密…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>此前复制到U盘或其他电脑的备份同样是明文，请一并处理。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请中队长（管理员）登录一次，程序会在登录时加密这些个人信息。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldChecks</name>
    <message>
        <source>已改正</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldSpec</name>
    <message>
        <source>一般</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予受理理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予处罚理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予立案理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予行政处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予行政处罚决定书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不公开举行（涉及国家秘密、商业秘密或者个人隐私）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不公开进行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不填则为各项中最晚的履行期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不成功原因及告知的其他途径</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不满十四周岁（第三十条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不计入期限的天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>与本案关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>严重</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>主持人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>主持人的处理意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书记员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书面协议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书面协议应写明（《人民调解法》第二十九条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>争议事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事实、理由及教育情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事实和证据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>仅警告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>代收人与受送达人关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>住址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>催告书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存处理决定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存的理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存证据处理决定书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存证据通知书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公告送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公开举行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公开进行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公示渠道</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他约定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他随附材料（以“、”分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>减轻</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出席人员（以“、”分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出生日期（如 1980-05-20）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列席人员（以“、”分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>初次违法且危害后果轻微并及时改正（第三十三条第一款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>勘验笔录、现场笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协作备忘录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协议内容（逐项）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协议形式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协议生效日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>参加人员（以“、”分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>参加人员（用顿号分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双方共同申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取证人（拍摄人、提取人）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取证日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>受理法院</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>受理申请的人民法院</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>受送达人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>变更</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口头协议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各方已签名捺印</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各方当事人的责任</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>否</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证主持人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证告知书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证日期（须为听证通知书确定的日期）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证时间（如 09:30）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证笔录要点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证通知书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证通知书送达日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理决定日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理决定（如解除保存并退还、移送有关部门、依法没收）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备注（邮件单号、电子送达确认、公告情况）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复核后拟罚款（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复核意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复议机关或受理法院</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>女</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>委托代理人（以“、”分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>委托送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审核结论：通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审结日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对应照片（证据栏附件）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>工作单位</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已加盖调解委员会印章</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已说服教育</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已转为刑事案件（民转刑）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延期理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延长天数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开始时间（时:分）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制执行申请书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人到场</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人可以要求调解公开进行或者不公开进行（《中华人民共和国人民调解法》第二十三条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人已书面放弃</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人已签订电子送达确认书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人最后陈述</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人有证据足以证明没有主观过错（第三十三条第二款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人的陈述</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人的陈述、申辩和质证意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>情况说明及采取的措施</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>情形</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>情节复杂</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法主体是否合法，执法人员是否具备执法资格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员（至少两名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法程序是否合法</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准的机关负责人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>批准负责人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承办人员（两名以上，第一位为主办）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承办人（至少两名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>报告日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒不改正的事实</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒不改正的日期（复查日期）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒收事由（留置送达）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拟罚款不在所选档次的建议幅度内时必填，印入处罚决定书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拟罚款（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拟罚款（元，不填则按调查终结意见）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接收机关</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>撤回申请（起诉）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>撤销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>改正期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>是</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>是否公开举行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>是否公开进行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>是否超越法定权限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未到期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源或取证地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查封（扣押）决定书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件事实是否清楚，证据是否合法充分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件定性及法律依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件调查人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>档案号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没收违法所得（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法制审核人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法制审核意见书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法院裁定协议有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>涉及重大公共利益</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物品（每行：名称、规格、数量）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请执行的内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请（起诉）日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>男</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>留置送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>直接送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认的电子送达地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认违法</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送司法机关（涉嫌犯罪）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送有关部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签收人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>签收日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>精神病人、智力残疾人不能辨认或控制自己行为（第三十一条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为（第三十一条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>终止理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束时间（时:分）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给予行政处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>维持</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缴款凭证/票据号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缴款金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>罚款（元，仅警告填0）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>职务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政处罚事先告知书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政处罚决定书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政复议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政执法文书是否完备、规范</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政诉讼</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>补充调查事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>被询问人姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>裁量档次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>裁量理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>见证人（留置送达）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>视听资料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>讨论情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>讨论日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>讨论结论</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证人证言</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据种类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证明对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>询问人（至少两名）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>询问日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>询问（调查）笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查人员提出的违法事实、证据和处罚建议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查终结报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查认定的违法事实</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>责令改正日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>责令改正通知书文号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>质证、辩论情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超出建议幅度的理由（从轻、减轻的写明第三十二条规定的情形）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超过追责时效（第三十六条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证件号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>轻微</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>较重</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法事实不能成立（第五十七条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为是否涉嫌犯罪、需要移送司法机关</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达的文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>适用法律、法规、规章是否准确，裁量基准运用是否适当</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期送达原因（超过七个工作日的）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>邮寄送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>部分履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采纳</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采纳当事人意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>鉴定意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问答（每行以“问：”或“答：”开头）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩内容及复核意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩复核意见书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>集体讨论记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>驳回</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>首次使用：初始化本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>欢迎使用乡镇综合执法工作台。请先选择这台电脑的用途，再填写基本信息并设置管理员密码。节假日安排和赋权事项清单将自动载入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>这台电脑用于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇执法中队（办公室主机）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇外勤笔记本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级（汇总全区数据）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇综合行政执法中队日常使用：办理案件、制发文书、管理人员和台账，并定期向区里报送同步包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区综合行政执法局使用：导入各乡镇报送的同步包，汇总全区统计、执法监督、案卷评查并生成年度报告；本机不办理案件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：竹根镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：乐山市五通桥区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：竹根镇综合行政执法中队</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书机关代字，如：竹综执（可不填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可不填，默认为“区县名称＋综合行政执法局”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区县名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>初始化后，在“数据导入”页面导入各乡镇报送的同步包，再到“汇总情况”“统计分析”“执法监督”“案卷评查”“年度报告”页面查看全区数据。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>管理员账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>此账户为区级管理员，可使用全部区级功能。密码至少8位，须同时包含字母和数字。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>此账户为中队长（管理员），登录后可为队员开设账户。密码至少8位，须同时包含字母和数字。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>继续</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>首次使用：保存恢复密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>外勤笔记本不在这里初始化：须由本乡镇办公室主机为它复制生成数据库（乡镇、中队、人员与主机相同，文书编号段也由主机分配），否则它录入的记录无法并入办公室的数据。请在办公室主机的“同步 → 设备与密钥 → 制作外勤笔记本数据库…”中制作，把生成的两个文件复制到本机的数据文件夹后再启动。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属区县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法中队</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书代字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>管理员用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>管理员密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再次输入密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>完成初始化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstStepsBox</name>
    <message>
        <source>开始使用：请先完成以下三步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>至少两名：检查和办案须由两名以上持证人员进行（《行政处罚法》第四十二条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开设账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>为每名队员开设登录账户，各自以本人名义办理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>建立调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记人民调解委员会和调解员，才能受理纠纷调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已登记 {n} 名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已开设 {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已建立 {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>保存(&amp;S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃输入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已填写的内容尚未保存，确定要放弃吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridPage</name>
    <message>
        <source>汇总情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重新打开…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&apos;background:{a}&apos;&gt;&amp;nbsp;有数据&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{b}&apos;&gt;&amp;nbsp;仅收到同步包&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:{c}&apos;&gt;&amp;nbsp;无数据&amp;nbsp;&lt;/span&gt;&#x3000;格内：记录条数 · 当月收到的同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填写补报原因…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备与同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账后补报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{t} {m}月：记录 {n} 条（检查、立案、调解申请），当月收到同步包 {b} 个{closed}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；已关账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
已关账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未发回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{n}号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近收到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缺号 / 说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{a}–{b}号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最新序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缺号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>最近导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{n}号（{at}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>审计链</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接续</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已关账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已重新打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>补报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账后更正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在汇总各乡镇报送情况…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全年已关账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已关账：{m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无关账月份</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年：共 {n} 个乡镇；{g} 个乡镇有缺号或尚未报送；{c}。选中乡镇可在下方查看其设备与同步包。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年：尚无任何乡镇的数据。请到“数据导入”页，选择各乡镇报送的同步包所在的文件夹导入；尚未使用本软件的乡镇可导入 Excel 台账。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}关账后补报或更正的记录：{n} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年全年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账后{p}的数据锁定，迟到的记录将列为补报。请写明关账原因：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}报表已报送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重新打开{p}，请写明原因（将记入审计日志）：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}已关账：数据已锁定，此后到达的记录列为补报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在关账（锁定各乡镇的数据）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}已重新打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在重新打开…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选中一条补报记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>补报原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该记录关账后才报送或更正的原因：</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>使用说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>找不到使用说明文件（{path}）。程序文件夹可能不完整，请重新复制程序。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关闭</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>本月 / 本年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>到期日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>剩余</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今日待办：{n} 项将在两周内到期，其中 {o} 项已逾期（双击打开）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期 {n} 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>今天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} 天</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>显示更多（还有 {n} 项）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;div style=&apos;font-size:13px&apos;&gt;逾期 / 七日内到期&lt;/div&gt;&lt;div style=&apos;font-size:22px;color:#b00020&apos;&gt;&lt;b&gt;{o}&lt;/b&gt;&lt;span style=&apos;color:#666;font-size:13px&apos;&gt; / {s}&lt;/span&gt;&lt;/div&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdType</name>
    <message>
        <source>其他证件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>居民身份证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无证件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InspectionDialog</name>
    <message>
        <source>新建检查记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：竹根镇桥沟街12号门前</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不限领域）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查当日执法证无效的人员（红色）不能选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 台次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 户次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查经营户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>被检查人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>专项整治</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复查原检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出动车辆</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按领域重新填入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查发现的问题、现场整改情况等</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：区市场监督管理局</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现的问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查结论</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接收部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不属于专项整治）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不是复查）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请从下拉列表中选择被检查人，或点击“新建当事人…”登记；没有被检查人的请清空</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InspectionForm</name>
    <message>
        <source>登记案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查结论为“立案”。是否现在根据本次检查登记案件线索？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>{n} 条未写入，原因见“同步 → 隔离/冲突”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步包（乡镇办公室、外勤机报送）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择同步包所在文件夹并导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信任首次报送的设备（已与乡镇电话核对指纹）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件夹中的全部同步包（*.edsync）按发送设备和序号依次导入，逐包校验签名；某个包被拒绝不影响其他包。已导入过的包不会重复导入。回执写在同步包旁边，请带回给乡镇导入。导入后自动登记关账后补报的记录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel 台账（尚未使用本软件的乡镇）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择或输入乡镇名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>按文件内容识别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择台账文件并导入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成空白模板…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有误的行（未导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请使用“生成空白模板”得到的 .xlsx。有误的行列出行号和原因，不导入；其余行照常导入。改正后可重复导入同一文件：按编号识别，不会重复。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>台账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>隔离/冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒绝：</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择同步包所在文件夹（U盘或邮件附件保存处）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>以下同步包来自尚未信任的设备：

{r}

请与各乡镇电话核对指纹一致后再信任。是否信任这些设备并导入？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信任新设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在导入 {f} …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在逐个校验并导入同步包（每个同步包一个事务）…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入 {n} 个同步包：新增 {new:,} 条、更新 {upd:,} 条记录；拒绝 {r} 个；关账后补报 {a} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
其中 {n} 条记录未写入（被隔离或与本机记录冲突）：到“同步”页的“隔离”“冲突”中查看每条的原因，需要时请乡镇更正后重新报送。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
已按要求停止：已导入的同步包保留，其余未导入，可再次导入该文件夹。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
跳过本机生成的回执 {n} 份。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
已生成回执 {n} 份（在同步包旁边），请带回给乡镇导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择 Excel 台账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel 台账 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级数据库中还没有乡镇“{n}”。导入后将新建该乡镇。

名称无误，继续导入？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先选择或输入台账所属的乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在逐行检查并导入台账…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未导入：{t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入 Excel 台账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（新建乡镇）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{t}{m} {k}：共 {n} 行，新增 {new}，更新 {upd}，未变 {same}，有误 {bad} 行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；关账后补报 {a} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>。有误的行未导入，见下表。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存空白模板</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法写入 {p}：{e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已生成{t}模板：{p}（发给乡镇填写，收回后在此导入）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemResult</name>
    <message>
        <source>不适用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有问题</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LaptopAccountDialog</name>
    <message>
        <source>外勤笔记本的使用账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机数据已加密。外勤笔记本只保留一个账户的解锁密钥：在笔记本上只能用该账户的密码登录，办公室其他账户的密码打不开它（忘记密码时可用本单位的恢复密钥解锁）。
请选择使用这台笔记本的账户，并由该账户的使用人本人输入自己的登录密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}（{user}，{role}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该账户的密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下一步：选择保存位置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有可用的账户：请先在“用户账户”中为使用笔记本的执法人员开设账户</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <source>搜索编号、名称、地点…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用恢复密钥…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部管理员密码都遗忘时，用保险柜中的恢复密钥单解锁并设置新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>须先设置新密码才能登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>未登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（区级）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>工作台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>← 返回列表 (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级只读查看：案件由乡镇办理，此处不能办理环节、制发文书或添加证据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在载入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序未能载入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建(&amp;N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>返回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改密码(&amp;P)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制作新的恢复密钥(&amp;R)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复密钥单遗失或可能被他人看到时：制作新的恢复密钥并打印，旧的立即作废（中队长、区级管理员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>切换用户 / 注销(&amp;L)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用说明(&amp;U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关于</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇综合行政执法中队离线工作台</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密码已修改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制作新的恢复密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只有中队长（管理员）可以制作新的恢复密钥。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制作新的恢复密钥后，旧的恢复密钥单立即作废，请将其销毁。

新的恢复密钥只显示一次，须当场打印（或抄写）后封存，放入办公室保险柜。现在制作吗？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已制作新的恢复密钥；旧的恢复密钥单已作废</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MediationDialog</name>
    <message>
        <source>人民调解登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纠纷的起因、经过和当事人的主要诉求</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不涉及金额的不填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纠纷来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请（受理）日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人（两方以上）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纠纷简要情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>涉及金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择纠纷类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请从下拉列表中选择当事人，或点击“新建当事人…”登记</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MediationView</name>
    <message>
        <source>义务人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>权利人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额或标的物</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法文书…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可办理的环节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解经过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未写明）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不能申请司法确认：{reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MediatorDialog</name>
    <message>
        <source>修改调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>男</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>女</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：汉族、彝族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>民族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>职务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ObligationsEditor</name>
    <message>
        <source>添加一项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除所选</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：赔偿医疗费</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：排水沟约20米</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：一次性银行转账</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>义务人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行方式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>履行期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>权利人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标的物或行为</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>涉及</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OfficerDialog</name>
    <message>
        <source>修改执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>男</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>女</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法证上的证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：行政执法证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>手机或固定电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>可不填</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>具有法律职业资格（可担任法制审核人员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件种类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发证日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复在岗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件状态（今天）：{s}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>停用后，{name}不再出现在检查和办案的人员选择中，其用户账户同时停用；已有记录中的姓名保留。确定停用吗？</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenAccountDialog</name>
    <message>
        <source>开设账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（请选择执法人员）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登录时输入的名字，如 zhangjg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>使用人姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>初始密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所有在岗执法人员都已有账户；请先在“执法人员”中登记。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OptionalDateEdit</name>
    <message>
        <source>未填写</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PartyDialog</name>
    <message>
        <source>新建当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：汉族、彝族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>手机号或固定电话，如 0833-1234567</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：执行董事、经理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>民族</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>住址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定代表人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>职务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>经营者身份证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>字号名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>住所（经营场所）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定代表人/负责人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>经营者姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>18位居民身份证号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>18位统一社会信用代码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件名称及号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>统一社会信用代码校验通过</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>身份证号码有效：{gender}，{birth} 出生</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话号码格式正确</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PartyPicker</name>
    <message>
        <source>输入姓名、名称或证件号查找…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>列出最近的当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建当事人…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PartyRow</name>
    <message>
        <source>移除</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordChoice</name>
    <message>
        <source>自动生成（保存后只显示一次）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>由我设定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再次输入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无论哪种方式，本人首次登录时都须改为自己的密码。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PowerItemCombo</name>
    <message>
        <source>输入编码或名称查找赋权事项</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemDialog</name>
    <message>
        <source>登记评查问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>否决项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>形式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>否决</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>写明问题，如“调查询问笔录未由当事人逐页签名”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案卷</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>评分表项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>扣分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>否决项不扣分：案卷直接评为不合格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请写明问题</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordsPanel</name>
    <message>
        <source>案卷材料（笔录、证据、送达回证）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>询问笔录…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记证据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记送达…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>录入…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存处理决定…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未录入笔录、证据或送达回证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在列表中选中一条先行登记保存记录</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>恢复密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>继续</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPanel</name>
    <message>
        <source>恢复密钥（只显示这一次）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本数据库中的身份证号、电话、住址和证据照片已加密保存。忘记全部管理员密码时，只有这个恢复密钥能解锁数据。程序不保存它，丢失后无法补发。
请立即打印恢复密钥单（或逐位抄写），封存后放入办公室保险柜；不要拍照，不要存在电脑、手机或U盘里。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打印/保存恢复密钥单…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>我已妥善保存恢复密钥（已打印或抄写，将放入保险柜）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复密钥单已保存到 {path}。请打印后删除这个文件。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryLoginDialog</name>
    <message>
        <source>使用恢复密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部管理员密码都遗忘时：输入恢复密钥单上的恢复密钥（不分大小写，短横线可不输），再为一个中队长（管理员）账户设置新密码，并以该账户登录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>恢复密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>管理员账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>再次输入新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>解锁并登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>返回登录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本数据库没有可恢复的管理员账户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RectifyDialog</name>
    <message>
        <source>登记整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>写明整改情况，如“已补充当事人签名并重新装订”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请写明整改情况</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>年度报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>预览</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成并保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>格式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在汇总全年数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年报告预览（{n} 段文字、{t} 张表）。选择格式后点“生成并保存…”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存年度报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{f} (*.{e})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在汇总 {y} 年全区数据并生成 {f}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：{p}（{n} 段文字、{t} 张表）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法保存 {p}：{e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生成年度报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel（表格）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF（存档、打印）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Word（可编辑）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>重置密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重置</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>案卷评查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>随机抽取已结案案卷（同一种子、同一范围，抽取结果相同）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>抽取并自动预检</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数量</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>种子</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>评查批次</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记问题…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记整改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>打开案件（只读）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>代码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>评分项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>分值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>扣分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击某一项，在该项下登记问题并扣分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题与整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>评分表</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} 个（已整改 {d}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>序号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案号 / 决定书号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（当场处罚）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>得分</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>等级</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>否决</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自动预检</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>评查人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已整改 {d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{t}（{w}，{n} 件，种子 {s}，{at}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未抽取</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未抽取案卷：选择年度、数量和种子后点“抽取并自动预检”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{w}{d}：种子 {s}，从 {p} 件已结案案卷中抽取 {n} 件，问题 {q} 个。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年评查合计：案卷 {f} 件，问题 {p} 个，已整改 {r} 个，不合格卷 {x} 件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>；有否决项，评为不合格卷</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>形式 {fm}/20 分，内容 {ct}/80 分，合计 {tot} 分，{g}{v}。双击某一项，在该项下登记问题并扣分。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;第{pos}卷&lt;/b&gt;&#x3000;{t}&#x3000;{n}&#x3000;{d}&#x3000;&lt;b&gt;{s}分 {g}&lt;/b&gt;{v}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在抽取并逐卷预检…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>抽取案卷</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在表中选中一个问题</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingEditDialog</name>
    <message>
        <source>修改设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（点“填入默认值”查看）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>是</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办案环节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>须制发的文书（多份用、分隔）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>代字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设置项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>默认值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击右栏修改：写文书名称，多份用、分隔；清空则该环节不要求文书。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>双击“代字”一栏修改；文号形如“竹综执检字〔2026〕第1号”中的“检”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>此项数值由法律、法规规定，只在法律修改后调整。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填入默认值</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本镇信息</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办案参数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>节假日安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>备份与恢复</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前角色只能查看设置；如需修改，请由中队长或区级管理员登录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属区县</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政区划代码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书落款机关</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书机关代字</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法中队</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇、中队和本机信息在首次使用时设定，随数据同步到区级；如需更正，请联系区级管理员。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>中队办公地址与联系电话（打印在告知书、决定书上）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人陈述申辩的地点，如：石板镇人民路8号综合执法中队</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：0833-3301234</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办公地址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存中队办公地址和联系电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未填写）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{code}&#x3000;{name}（{kind}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>依据栏注明“地方可调整”的数值由省、区或本镇规定（听证标准、文书编号格式等），可按当地规定修改；修改只影响此后办理的环节。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同时显示法定期限等其他设置项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设置项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当前值</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>修改…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value}（已修改）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：{label} = {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{saved}；已按新数值重新计算 {n} 件记录的期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> 年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>添加…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认为正式安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>表中只列出与“周一至周五上班”不同的日子。国家节假日安排随程序载入；地方性假日（如彝族年）和临时调整可在此添加。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>国务院安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机添加</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已载入正式节假日安排（{source}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无正式安排：期限按周一至周五及固定日期节日暂定计算</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：{day} {kind} {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>删除特殊日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将 {day} 恢复为普通日子（周一至周五上班、周末休息）？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已删除 {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认正式安排</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认 {year} 年的节假日安排已完整录入？确认后该年度的期限不再标注“暂定”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{year} 年已确认为正式安排</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShownOnceDialog</name>
    <message>
        <source>初始密码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>用户 {u} 的初始密码如下，只显示这一次。请当面交给本人；本人首次登录时须改为自己的密码。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>我已记下</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>统计分析</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看明细记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>年度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>分乡镇柱状图</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逐月走势</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>明细记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同比</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>指标</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上年同期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>关账时锁定的数；与本期之差为关账后补报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>占全区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编号 / 名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（无编号）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>计数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在汇总全区指标…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}已于 {at} 关账（{why}）。表中“本期”为实时数，“关账数”为关账时锁定的数，年度报告按关账数填写；关账后补报或更正 {n} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}：{n} 个乡镇，实时数（尚未关账）。选中左侧指标查看分乡镇情况；双击数字查看背后的记录。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}：尚无任何乡镇的数据，各项均为 0。请先到“数据导入”页导入各乡镇报送的同步包或 Excel 台账。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>合计</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{p}各乡镇{l}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年{l}逐月（{t}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全区</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m}月</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{y}年</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>持证执法人员是各乡镇在册且执法证有效的人数：请在“执法人员”列表中查看</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{w} {p}“{l}”背后的记录：{n} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（仅列出前 {m} 条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>。双击一条打开（只读）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{t}没有单独的详情页：请打开其所属的检查记录或案件</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>确定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不填）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（不选）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（请选择）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StorageProblemDialog</name>
    <message>
        <source>无法打开数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新建数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重试</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只读打开</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择其他文件…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EnforceDesk 数据库 (*.sqlite3 *.db);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>只读打开：{reason}。可以查看，不能保存任何修改。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库文件 {path} 不存在。

新建一个数据库会建立一个新的乡镇（或区级）和本机身份；如果是路径写错了，请选择正确的文件。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库正被另一个程序占用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文件所在位置只能读取、不能写入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>磁盘已满</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择数据库文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（只读）</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SummaryDialog</name>
    <message>
        <source>当场处罚（简易程序）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的，可以当场作出行政处罚决定（《中华人民共和国行政处罚法》第五十一条）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>填 0 为警告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场收缴罚款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>财政部门统一制发的罚款收据号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员（两名以上）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为发生日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>罚款（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法事实</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>仅噪声类事项：说服教育后当场责令改正的文书编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>仅噪声类事项：当事人拒不改正的情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>责令改正文号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>拒不改正情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写违法地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请填写违法事实</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>执法监督</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>刷新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>（未编号）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>应办日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>逾期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} 日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在检查各乡镇的期限…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>截至 {d}：{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>没有逾期事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 项（双击打开案件，只读）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无任何乡镇的数据：到“数据导入”页导入各乡镇报送的同步包后，在此列出超期未决定、罚款逾期未缴等逾期事项。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>该记录没有详情页</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>同步</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>全量导出（包括对方已确认的记录）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查看将导出的内容</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出到文件夹/U盘…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下发参考数据…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>把权力事项清单、纠纷类别、节假日、地方参数（以及外勤笔记本的文书编号段）写成参考数据包，交给所选接收方导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>条数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已发送至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已收到至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缺号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待处理冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>接收方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无往来设备：先在“设备与密钥”页与对方交换并信任密钥卡，导出时即可选择对方为接收方（同步包为对方加密）。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>各设备同步情况</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未被确认的记录是尚未有接收方确认收到的记录（{parts}），包括初始化时建立的乡镇、设备和权力事项清单等基础数据；导出同步包并导入对方的回执后清零。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据文件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>将加密给接收方</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未指定接收方或对方公钥未知：不加密，请妥善保管U盘</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>共 {n} 条记录；{enc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择导出位置（U盘或文件夹）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导出第 {seq} 号同步包：{path}（{n} 条记录，{kb} KB，已核对写入无误）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请先在“接收方”中选择要下发参考数据的设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择参考数据包的保存位置（U盘或文件夹）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已写入第 {seq} 版参考数据包：{path}（{kb} KB{blocks}）。请交给 {code} 在“导入”中导入。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>，含文书编号段 {n} 个</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>下发参考数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择同步包…（也可把文件拖到此页）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入回执…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>重新写出回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新增</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更新</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无变化</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>隔离</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步包 (*.edsync);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>此同步包来自尚未信任的设备：

设备编码：{code}
乡镇：{town}
指纹：{fp}

请与对方电话核对指纹一致后再信任。是否信任该设备？</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信任新设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>正在校验同步包…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>校验同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来自 {code}（{town}）第 {seq} 号同步包，{enc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未加密</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对方没有收到回执时，可点“重新写出回执”。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已导入：新增 {new} 条，更新 {upd} 条，冲突 {c} 条（待处理），隔离 {q} 条。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
回执已生成：{p}（请带回给对方导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回执已重新生成：{p}（请带回给对方导入）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回执 (*receipt*.edsync);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回执已导入：{n} 条记录已被 {code} 确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>字段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>对方版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保留本机版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>采用对方版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>两边都修改过的记录：两个版本都已保留，请选择以哪个为准（不会自动覆盖）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理冲突</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导入时被拒收的记录（已隔离，未写入本库）：请与发送方核对后让其修正重发</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>指纹</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信任时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>导出本机密钥卡…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信任对方密钥卡…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制作外勤笔记本数据库…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复制本机数据库给一台外勤笔记本：新设备有自己的编码和密钥，与本机互相信任，并带有第一批文书编号段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未信任任何设备。与区里、乡镇或外勤笔记本互传同步包前：① 点“导出本机密钥卡…”，把写出的 .edkey 文件交给对方；② 点“信任对方密钥卡…”，选择对方交来的 .edkey 文件；双方电话核对指纹一致后再使用。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备与密钥</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>保存密钥卡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密钥卡 (*.edkey)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已保存：{p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>选择对方密钥卡</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>密钥卡 (*.edkey *.json);;所有文件 (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已信任 {code}（指纹 {fp}）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>新外勤笔记本数据库的保存位置（如 U 盘）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库 (*.sqlite3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已制作外勤笔记本 {code} 的数据库：
{path}
{keys}
把这两个文件一起复制到笔记本的数据文件夹（改名时两个一起改，如 enforcedesk.sqlite3 与 enforcedesk.sqlite3.keys），在笔记本上启动本程序即可使用。两台设备已互相信任；笔记本已带有文书编号段，以后随参考数据补充。已有记录的附件文件不随之复制。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>数据库和密钥文件都已加密：在笔记本上只能用账户“{user}”（{name}）的密码登录，本机其他账户的密码打不开它；忘记密码时用本单位的恢复密钥解锁。</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制作外勤笔记本数据库</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ 设备 {code}：{label}（{at} 导入的同步包）：{detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{n}号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>第{a}–{b}号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机 {code}；参考数据第 {ref} 版；未被确认的记录 {u} 条；待处理冲突 {c} 条；隔离 {q} 条</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不指定接收方（不加密）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>本机：{code} {name}
指纹：{fp}（对方信任本机前请电话核对）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{record} {uid}… 来自 {source}：{fields}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步包</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>参考数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回执</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{at}  → 导出 第{seq}号（{kind}），{n} 条，{ack}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{at}  ← 导入 第{seq}号（{kind}），来自 {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚无同步记录：导出或导入同步包后，每个同步包在这里列出一行（序号、条数、是否已确认）。</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>正在处理…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>操作</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>无法完成</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Weekday</name>
    <message>
        <source>星期一</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期三</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期二</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期五</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期六</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期四</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>星期日</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_CaseForm</name>
    <message>
        <source>全部领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>如：涉嫌在禁止时段露天烧烤食品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>赋权事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事项按当事人类型和违法行为发生时有效的版本列出</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定幅度：{range}；处罚种类：{types}
处罚依据：{basis}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>涉嫌{name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请从下拉列表中选择当事人，或点击“新建当事人…”登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请选择当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>请从列表中选择赋权事项</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>data</name>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>一般</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>上级交办</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予立案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予行政处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不满十四周岁（第三十条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>专项整治</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>严重</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>个体工商户</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>中队长</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>主动调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>乡镇办公室主机</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>书面协议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事先告知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事项名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事项编码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>人民调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>住址</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>信访转办</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>先行登记保存</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公告送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公安移交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公示期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>其他当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>减轻</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出动</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>初次违法且危害后果轻微并及时改正（第三十三条第一款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制发人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>制发时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办案期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>办案环节</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>勘验笔录、现场笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>区级管理员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协议履行期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>协议形式</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>即将到期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发现的问题</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发证日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>口头协议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>司法确认中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>司法确认申请期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>司法确认驳回</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>合格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>同步状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证申请期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>听证笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>在岗</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>地点</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>培训</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>培训签到</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>基础清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处罚依据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处罚案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>处罚种类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复查任务</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复查对象</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>复查记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>外勤笔记本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>姓名/名称</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>委托送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>媒体曝光</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>尚未生效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已停用</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已决定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已制发文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已取消</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已司法确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已复查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已归档</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已暂扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已没收</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已注销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已移送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已终止</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已结案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已解除</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已过期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>已销毁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>开始日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制执行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>强制执行申请书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人有证据足以证明没有主观过错（第三十三条第二款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人申请</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当事人的陈述</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场处罚备案期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待决定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>待复查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>性别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>所属记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法中队</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法证号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法证有效期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法队员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执法领域</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执行中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>执行完毕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承办人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>承办调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>投诉举报</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改复查期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文书类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>文号段</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>普通程序</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>暂扣</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>更正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有效</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未到期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>未登记执法证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>权力事项</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>权力事项清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>来源部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查封扣押</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查封扣押中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查封扣押期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>查封扣押物品</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案件编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案卷笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>案由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查人员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查发现</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查时间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查次数</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查结论</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>检查项目</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法人或其他组织</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法制审核员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法制审核意见书</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定代表人/经营者</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定幅度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法定罚款幅度</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法律职业资格</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法院委派</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>注销</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>清单类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>版本</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>物证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>特色清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>理由</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>生效日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子数据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电子送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>电话</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>留置送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>直接送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认婚姻关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认收养关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>确认身份关系</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送司法机关（涉嫌犯罪）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送有关部门</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>程序</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立案日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>简易程序</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>类型</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>精神病人、智力残疾人不能辨认或控制自己行为（第三十一条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>纠纷类别</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>线索登记</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>终止调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结束日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结论</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>给予行政处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>编号</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缴款期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>罚款（元）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>自然人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>节假日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>行政处罚案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>被申请人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>裁量基准</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>视听资料</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>角色</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>设备</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证人证言</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件号码</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件状态</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证件种类</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>证据清单</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>询问笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>说明</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查取证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查终结报告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调结日期</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解不成功</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解中</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解协议条款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解员</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解回访</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解委员会</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解当事人</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解成功</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解过程记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>财产或者行为</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>责令限期整改</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>超过追责时效（第三十六条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>轻微</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>较重</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违反条款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法事实不能成立（第五十七条）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达回证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>邮寄送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>部分履行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>部门移交</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>部门移送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>鉴定意见</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩笔录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>集体讨论记录</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>领域</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>dlg</name>
    <message>
        <source>确定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>保存恢复密钥单</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>step</name>
    <message>
        <source>不予受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予立案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>不予行政处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>举行听证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>事先告知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>作出处罚决定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>催告</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>公示</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>发出听证通知</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>受理</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>回访</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>延长办案期限</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>归档</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场处罚</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>当场处罚备案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>放弃陈述申辩</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>标记激化风险</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>法制审核</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请司法确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请听证</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>申请法院强制执行</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记不予处罚情形</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记不计入期限的期间</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记司法确认结果</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记电子送达确认</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记行政复议/行政诉讼</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>登记责令改正及拒不改正</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>移送</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>立案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>终止案件</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>终止调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结案</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>结案归档</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>缴纳罚款</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>记录调解</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调查终结</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>调解不成功</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>达成调解协议</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>退回补充调查</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>送达</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>陈述申辩期满</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>集体讨论</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

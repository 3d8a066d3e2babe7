"""English for the public site: fills locale/en/LC_MESSAGES/django.po from the table
below after `makemessages -l en`, then `compilemessages`. Run from xinfang/portal:

    ../../.venv/bin/python ../../manage.py makemessages -l en --no-location
    python3 locale/translate_en.py
    ../../.venv/bin/python ../../manage.py compilemessages -l en
"""

import re
import sys
from pathlib import Path

EN = {
    "反映自己的权益受到侵害，请求解决（需实名和手机号）": "Your rights were harmed and you ask for a remedy (name and mobile number needed)",
    "检举、控告违纪违法行为（可匿名，您的身份和材料严格保密）": "Report misconduct or a violation of law (may be anonymous; your identity is kept confidential)",
    "对工作提出建议、意见（可匿名）": "A suggestion or opinion on government work (may be anonymous)",
    "—— 请选择 ——": "— Choose —",
    "处理意见：%(outcome)s": "Opinion: %(outcome)s",
    "反映类型": "Kind of matter",
    "匿名提交（仅限检举控告和建议意见）": "Submit anonymously (reports and suggestions only)",
    "姓名": "Name",
    "手机号码": "Mobile number",
    "用于接收查询码短信和联系您；申诉求决类必填": "For the query code by SMS and to reach you; required for a grievance",
    "身份证号（选填）": "ID number (optional)",
    "通信地址（选填）": "Postal address (optional)",
    "受理单位": "Receiving unit",
    "事情发生地的乡镇（街道）或县，或主管部门。不确定的可以不选，我们会根据事发地点确定。":
        "The township or county where it happened, or the department in charge. If unsure, leave it: the place decides.",
    "事发地点": "Place",
    "如：青山乡竹岭村村委会旁": "e.g. next to the Zhuling village committee, Qingshan",
    "标题（选填）": "Title (optional)",
    "事情经过和诉求": "What happened and what you ask for",
    "请写清时间、地点、经过，以及您希望如何解决（10至5000字）": "When, where, what happened, and how you want it solved (10 to 5,000 characters)",
    "附件": "Attachments",
    "我已阅读提交须知，所反映情况属实": "I have read the notice; what I report is true",
    "验证码": "Captcha",
    "请输入上图中的4位数字。无法完成验证的，可以来信、来电或到信访接待场所反映。":
        "Type the 4 digits in the picture. If you cannot, write, call or visit a reception office instead.",
    "查询码": "Query code",
    "手机号或身份证号后4位": "Last 4 digits of your phone or ID number",
    "您对答复的评价": "Your evaluation of the reply",
    "意见（选填）": "Comment (optional)",
    "请求的理由": "Your reasons",
    "个工作日": " working days",
    "日": " days",
    "告知是否受理": "Decide whether to accept",
    "《信访工作条例》第二十二、二十三条": "Petition Work Regulation, Arts. 22–23",
    "自收到之日起": "from receipt",
    "办理并书面答复": "Handle and answer in writing",
    "第三十四条": "Art. 34",
    "自受理之日起": "from acceptance",
    "情况复杂的可延长（一次）": "Extension for complex matters (once)",
    "延长理由告知信访人": "the reason is told to you",
    "不服处理意见，请求复查": "Ask for review of the reply",
    "第三十五条": "Art. 35",
    "自收到书面答复之日起": "from receiving the written reply",
    "复查机关答复": "Review answered",
    "自收到复查请求之日起": "from the review request",
    "不服复查意见，请求复核": "Ask for re-review of the review",
    "第三十六条": "Art. 36",
    "自收到复查意见之日起": "from receiving the review answer",
    "复核机关答复": "Re-review answered",
    "自收到复核请求之日起": "from the re-review request",
    "已登记，等待受理": "Registered, awaiting acceptance",
    "已转送有权处理的单位": "Forwarded to the competent unit",
    "已受理，正在办理": "Accepted, being handled",
    "不予受理": "Not accepted",
    "不再受理": "No longer accepted",
    "已书面答复": "Answered in writing",
    "已答复，已评价": "Answered and evaluated",
    "已办结": "Closed",
    "复查中": "Under review",
    "已作出复查意见": "Review answered",
    "复核中": "Under re-review",
    "已终结": "Concluded",
    "已办结归档": "Closed and archived",
    "建议意见": "Suggestion",
    "检举控告": "Report of misconduct",
    "申诉求决": "Grievance",
    "支持": "Supported",
    "解释": "Explained",
    "不支持": "Not supported",
    "满意": "Satisfied",
    "基本满意": "Basically satisfied",
    "不满意": "Not satisfied",
    "处理意见": "Opinion",
    "复查意见": "Review opinion",
    "复核意见": "Re-review opinion",
    "诉讼": "Litigation",
    "仲裁": "Arbitration",
    "行政复议": "Administrative reconsideration",
    "党员申诉": "Party member appeal",
    "纪检监察": "Discipline inspection",
    "其他法定途径": "Another statutory procedure",
    "登记": "Registered",
    "受理": "Accepted",
    "转送": "Forwarded",
    "延长办理期限": "Handling period extended",
    "书面答复": "Written reply",
    "满意度评价": "Evaluation",
    "申请复查": "Ask for review",
    "申请复核": "Ask for re-review",
    "终结": "Concluded",
    "按期完成（%(date)s）": "Kept (%(date)s)",
    "超期完成（%(date)s）": "Done late (%(date)s)",
    "剩余%(days)s天": "%(days)s days left",
    "已超期%(days)s天，尚未完成": "%(days)s days overdue, not done yet",
    "您可在此日期前提出": "You may ask until this date",
    "您已于%(date)s提出": "You asked on %(date)s",
    "期限已过": "The period has ended",
    "办理并书面答复（已延长%(days)s天）": "Handle and answer in writing (extended by %(days)s days)",
    "%(unit)s将在%(date)s前告知您是否受理。": "%(unit)s will tell you by %(date)s whether it accepts your matter.",
    "您的事项已受理，正在办理，将在%(date)s前书面答复您。": "Your matter was accepted and is being handled; you will have a written answer by %(date)s.",
    "您的事项不予受理，理由和可以采取的途径见下方的告知。": "Your matter was not accepted; the reason and where to turn are in the notice below.",
    "同一事实和理由已经处理终结或正在办理，不再受理。": "The same facts and reasons were already concluded or are being handled; not accepted again.",
    "已作出书面答复。如不服，可在%(date)s前请求上一级机关复查。": "A written reply was given. If you disagree, ask the next level up for review by %(date)s.",
    "已作出书面答复。": "A written reply was given.",
    "%(unit)s正在复查，将在%(date)s前答复您。": "%(unit)s is reviewing your matter and will answer by %(date)s.",
    "已作出复查意见。如不服，可在%(date)s前请求复核。": "The review was answered. If you disagree, ask for re-review by %(date)s.",
    "%(unit)s正在复核，将在%(date)s前答复您。": "%(unit)s is re-reviewing your matter and will answer by %(date)s.",
    "复核意见为终结意见；以同一事实和理由再次提出的，不再受理。": "The re-review answer is final; the same facts and reasons will not be accepted again.",
    "您的事项已办结。": "Your matter is closed.",
    "网上提交，已登记": "Submitted online and registered",
    "已登记": "Registered",
    "办理期限至%(date)s": "To be handled by %(date)s",
    "转送%(unit)s处理": "Forwarded to %(unit)s",
    "延长%(days)s天，理由：%(reason)s": "Extended by %(days)s days. Reason: %(reason)s",
    "受理机关：%(unit)s": "Handled by: %(unit)s",
    "您已评价过最新的书面答复。": "You have evaluated the latest written reply.",
    "书面答复作出后才能评价。": "You can evaluate once there is a written reply.",
    "上一级机关作出答复后，可以评价该答复。": "You can evaluate the next level's answer once it is given.",
    "本事项未受理，没有可评价的答复。": "The matter was not accepted, so there is no reply to evaluate.",
    "上一级机关正在复查（复核），请等待答复。": "The next level up is reviewing your matter; please wait for its answer.",
    "复核意见为终结意见，不能再请求复查或复核。": "The re-review answer is final; no further review is possible.",
    "本事项未受理，不适用复查；请按告知的途径办理。": "The matter was not accepted, so review does not apply; please use the channel named in the notice.",
    "本事项已办结归档。": "The matter is closed and archived.",
    "书面答复作出后，如不服，才能请求复查。": "Once there is a written reply you may ask for review if you disagree.",
    "提交未成功，请修改以下项目：": "Not sent yet. Please correct:",
    "未能查询，请核对：": "Could not look it up. Please check:",
    "环节": "Step",
    "时限": "Limit",
    "起算": "Counted",
    "依据": "Basis",
    "期限的最后一天是法定节假日的，顺延至节假日后的第一个工作日。": "A period whose last day is a public holiday ends on the next working day.",
    "网上信访": "Online Petitions",
    "跳到正文": "Skip to content",
    "主导航": "Main navigation",
    "首页": "Home",
    "我要反映": "Submit a matter",
    "查询进度": "Follow a matter",
    "办事指南": "Guide",
    "领导接访": "Leaders' reception",
    "公开数据": "Open figures",
    "依据《信访工作条例》，您反映的每一件事项都会登记并在规定期限内处理。请如实反映情况，不得捏造、歪曲事实。":
        "Under the Petition Work Regulation every matter is registered and handled within the legal time. Please report truthfully.",
    "页面已过期": "Page expired",
    "页面已过期，提交未完成": "The page expired; nothing was sent",
    "页面打开时间过长，或浏览器禁用了Cookie。请返回上一页，刷新后重新提交；已填写的内容请先复制保存。":
        "The page was open too long, or cookies are disabled. Go back, reload and send again; copy what you wrote first.",
    "返回首页": "Back to home",
    "%(unit)s及所属单位，%(start)s至%(end)s收到的信访事项；每10分钟更新。":
        "Matters received by %(unit)s and its units from %(start)s to %(end)s; updated every 10 minutes.",
    "信访事项": "Matters",
    "信访件（含重复）": "Petitions (with repeats)",
    "指标说明": "What the figures mean",
    "暂无数据。": "No figures yet.",
    "查询办理进度": "Follow your matter",
    "提交时留了手机号或身份证号的，请填写其中任意一个的后4位；匿名提交的不用填写。":
        "If you gave a phone or ID number, enter the last 4 digits of either; not needed for anonymous submissions.",
    "查询": "Look up",
    "查询码丢失的，请携带身份证件到受理单位的信访接待场所查询。为防止他人猜测查询码，连续输错会被暂时限制查询。":
        "Lost your code? Bring your ID to the unit's reception office. To stop guessing, repeated wrong attempts are blocked for a while.",
    "哪些事项应走法定途径（诉访分离）": "Matters that belong in a statutory procedure",
    "依照《信访工作条例》，应当通过诉讼、仲裁、行政复议等法定途径解决的事项，信访机关会引导您到相应的途径办理。走对途径，事情解决得更快，也不会错过法定期限。":
        "Matters for the courts, arbitration or administrative reconsideration are guided to that procedure. The right procedure is faster and keeps its deadlines.",
    "您遇到的事情": "Your situation",
    "应走的途径": "Where to turn",
    "注意期限": "Time limit",
    "对行政机关的罚款、拘留、许可、征收补偿决定等行政行为不服": "You disagree with an administrative decision (fine, detention, licence, expropriation compensation)",
    "行政复议，或向人民法院提起行政诉讼": "Administrative reconsideration, or an administrative lawsuit",
    "申请复议：知道该行为之日起60日内；起诉：6个月内": "Reconsideration: within 60 days of learning of it; lawsuit: within 6 months",
    "拖欠工资、社会保险、解除劳动合同等劳动人事争议": "Unpaid wages, social insurance, dismissal and other labour disputes",
    "劳动人事争议仲裁委员会申请仲裁（可先向劳动监察投诉）": "Labour dispute arbitration (a complaint to labour inspection first is possible)",
    "仲裁时效一般为1年": "Usually 1 year",
    "农村土地承包经营纠纷": "Rural land contract disputes",
    "农村土地承包仲裁委员会仲裁，或向人民法院起诉": "Rural land contract arbitration, or a lawsuit",
    "仲裁时效一般为2年": "Usually 2 years",
    "合同、借贷、相邻关系、婚姻家庭、继承等民事纠纷": "Civil disputes: contracts, loans, neighbours, family, inheritance",
    "人民调解，或向人民法院起诉": "People's mediation, or a lawsuit",
    "诉讼时效一般为3年": "Usually 3 years",
    "对法院判决、裁定或检察机关决定不服": "You disagree with a court judgment or a procuratorate decision",
    "依法申请再审、申诉，由政法机关依法处理": "Apply for retrial or appeal; handled by the judicial organs",
    "按诉讼法规定的期限": "As the procedure laws provide",
    "党员、公职人员违纪违法": "Misconduct by party members or public officials",
    "向纪检监察机关检举控告（本网站也可提交，会转送纪检监察机关）": "Report to discipline inspection (you may also submit here; it is forwarded)",
    "以上为一般情况，具体以法律规定和受理机关的书面告知为准。": "A general guide; the law and the unit's written notice decide.",
    "怎样反映问题": "How to raise a matter",
    "一件事写一次即可：同时向多个机关反映同一件事，只会登记为一件，不会更快。":
        "Write once: the same matter sent to several offices is registered as one and is not handled faster.",
    "向有权处理的本级或上一级机关提出；事项在办理期限内的，请等待答复，不要越级重复反映。":
        "Address the competent office at its level or one above; while a matter is within its period, please wait for the answer.",
    "提交后凭查询码查询进度；收到答复后可以评价，对答复不服的可依次请求复查、复核。":
        "Follow it with your query code; evaluate the reply, and ask for review and then re-review if you disagree.",
    "法定办理时限": "Legal time limits",
    "在这里向政府反映问题、提出建议或检举控告。每一件事项都会登记，您可以凭查询码随时查询办理进度、查看书面答复、评价处理结果。":
        "Raise a problem, make a suggestion or report misconduct here. Every matter is registered; with your query code you can follow it, read the written reply and evaluate it.",
    "提交信访事项，获得查询码": "Send your matter, get a query code",
    "查看办理情况、答复，评价或请求复查": "See progress and replies; evaluate or ask for review",
    "登记回执": "Receipt",
    "提交成功，您反映的事项已登记。": "Sent: your matter is registered.",
    "网上信访登记回执": "Online petition: receipt of registration",
    "查询码（请妥善保管，只显示这一次）": "Query code (keep it safe: shown only this once)",
    "事项编号": "Case number",
    "提交时间": "Submitted",
    "事项": "Matter",
    "告知是否受理的期限": "Acceptance decided by",
    "凭查询码和您所留手机号或身份证号的后4位，可在本网站“查询进度”中查看办理情况和书面答复、评价处理结果；对答复不服的，可以请求复查。":
        "With the query code and the last 4 digits of the phone or ID number you gave, use \u201cFollow a matter\u201d to see progress and replies, evaluate, or ask for review.",
    "凭查询码可在本网站“查询进度”中查看办理情况和书面答复、评价处理结果；对答复不服的，可以请求复查。":
        "With the query code, use \u201cFollow a matter\u201d to see progress and replies, evaluate, or ask for review.",
    "（此前已提交过相同内容，未重复登记。）": "(The same content was sent before; it was not registered twice.)",
    "打印登记回执": "Print receipt",
    "去查询进度": "Follow this matter",
    "领导接访安排": "Leaders' reception days",
    "近期暂无公布的领导接访安排。安排确定后将在此公布。": "No reception days are published yet. They will appear here once set.",
    "到场反映问题的，请携带身份证件和相关材料；多人反映同一问题的，请推选不超过5名代表。":
        "Bring your ID and papers. Several people with one matter choose at most 5 representatives.",
    "办理进度": "Progress",
    "类型": "Kind",
    "当前办理": "Now with",
    "告知": "Notice",
    "理由：": "Reason: ",
    "应通过的法定途径：": "Statutory procedure: ",
    "您可以：": "You may: ",
    "法定期限": "Legal deadlines",
    "您的诉求": "Your request",
    "查明的事实": "Facts found",
    "调解或和解协议": "Mediation or settlement",
    "救济途径": "Remedy",
    "您可以做什么": "What you can do",
    "评价书面答复": "Evaluate the written reply",
    "提交评价": "Send evaluation",
    "对复查意见不服，请求复核": "Disagree with the review: ask for re-review",
    "对答复不服，请求复查": "Disagree with the reply: ask for review",
    "请在%(date)s前提出。上一级机关将在收到请求之日起30日内答复。": "Ask by %(date)s. The next level up answers within 30 days.",
    "提交请求": "Send request",
    "您的评价": "Your evaluations",
    "办理经过": "What has happened",
    "退出，查询其他事项": "Leave and follow another matter",
    "1. 反映类型": "1. Kind of matter",
    "2. 您的信息": "2. About you",
    "匿名提交的事项同样登记办理，但我们无法书面答复您；请保存好查询码以便查询。":
        "Anonymous matters are handled too, but cannot be answered in writing; keep the query code to follow yours.",
    "3. 反映的事项": "3. Your matter",
    "附件（选填）": "Attachments (optional)",
    "图片（JPG、PNG、WebP）或PDF，每个不超过%(size)sMB，最多%(files)s个。照片中的拍摄位置等信息会被自动去除。出错重新提交时请再次选择附件。":
        "Images (JPG, PNG, WebP) or PDF, at most %(size)s MB each, up to %(files)s files. Location data is removed from photos. Choose them again if the form comes back with an error.",
    "4. 提交须知": "4. Before you send",
    "提交后，您会立即得到一个<strong>查询码</strong>（只显示一次，请抄写、截图或打印登记回执）。留了手机号的，查询码也会以短信发给您。":
        "You get a <strong>query code</strong> at once (shown only once: write it down, take a screenshot or print the receipt). With a mobile number it also comes by SMS.",
    "收到的单位应在%(days)s日内告知您是否受理；属于其他单位职权的，会转送有权处理的单位并告知您。":
        "The unit tells you within %(days)s days whether it accepts the matter, or forwards it to the competent unit and tells you.",
    "受理后一般在%(days)s日内办结并书面答复；情况复杂的可延长一次，延长理由会告知您。":
        "Once accepted it is answered in writing within %(days)s days; complex matters may be extended once, with the reason told to you.",
    "对答复不服的，可在收到答复之日起%(days)s日内，在本网站请求上一级机关复查；对复查意见不服的，可再请求复核。":
        "If you disagree with the reply, ask here for review by the next level up within %(days)s days; then re-review if you still disagree.",
    "应当通过诉讼、仲裁、行政复议等法定途径解决的，将告知您相应的途径（见办事指南）。":
        "Matters for courts, arbitration or reconsideration are guided to that procedure (see the Guide).",
    "您的个人信息仅用于办理本事项；检举控告人的身份和材料严格保密，不会交给被检举人或被检举单位。":
        "Your personal data is used only for this matter; a reporter's identity and material never go to the person or unit reported.",
    "5. 验证码": "5. Captcha",
    "验证码图片：4位数字": "Captcha image: 4 digits",
    "看不清，换一张": "New picture",
    "正在提交…": "Sending…",
    "提交": "Send",
    "请稍后再试": "Please try later",
    "访问过于频繁，请稍后再试。": "Too many requests; please try again later.",
    "查询已超时，请重新输入查询码。": "Your session ended; enter the query code again.",
    "感谢您的评价，已送达办理单位。": "Thank you: your evaluation was sent to the unit.",
    "您的请求已提交，上一级机关将在30日内答复。": "Your request was sent; the next level up answers within 30 days.",
    # Query codes issued by staff, reply documents, extensions (issue 3).
    "原期限%(from)s，经批准延长至%(to)s，延长理由：%(reason)s": "Originally due %(from)s; extended with approval to %(to)s. Reason: %(reason)s",
    "经批准延长至%(to)s，延长理由：%(reason)s": "Extended with approval to %(to)s. Reason: %(reason)s",
    "收到时间": "Received",
    "当前办理单位": "Now handled by",
    "办理并书面答复的期限": "Deadline for handling and a written reply",
    "如何查询": "How to follow your matter",
    "凭查询码和您所留手机号或身份证号的后4位，可在网上信访的“查询进度”页面查看办理情况、法定期限和书面答复，下载答复文书，评价处理结果；对答复不服的，可以在网上请求复查。":
        "With the query code and the last 4 digits of the phone or ID number you gave, the “Follow” page of the online petition site "
        "shows the progress, the legal deadlines and the written replies; there you can download the reply documents, evaluate the "
        "result and, if you disagree with the reply, ask for review.",
    "凭查询码可在网上信访的“查询进度”页面查看办理情况、法定期限和书面答复，下载答复文书，评价处理结果；对答复不服的，可以在网上请求复查。":
        "With the query code, the “Follow” page of the online petition site shows the progress, the legal deadlines and the written "
        "replies; there you can download the reply documents, evaluate the result and, if you disagree with the reply, ask for review.",
    "查询网址：": "Address: ",
    "此查询码为重新生成，原查询码已失效。": "This code was issued again: the earlier code no longer works.",
    "答复文书（可下载保存）": "Documents of the reply (download and keep them)",
    "（盖章）": " (seal)",
    # Delivery (送达) of the notices and the windows counted from it.
    "送达": "Delivered",
    "网上送达": "online",
    "邮寄送达": "by post",
    "直接送达": "in person",
    "公告送达": "by public notice",
    "受理告知书": "Notice of acceptance",
    "不予受理告知书": "Notice of non-acceptance",
    "转送告知书": "Notice of forwarding",
    "延期告知书": "Notice of extension",
    "信访处理意见书": "Written opinion",
    "复查意见书": "Review opinion",
    "复核意见书": "Re-review opinion",
    "不再受理告知书": "Notice of refusal",
    "告知文书": "Notices sent to you",
    "待送达": "Not yet delivered",
    "%(channel)s，%(date)s": "%(channel)s, %(date)s",
    "%(kind)s %(number)s，%(channel)s，送达日期%(date)s": "%(kind)s %(number)s, %(channel)s, delivered %(date)s",
    "待送达：自您收到书面答复之日起%(days)s日内可以提出": "Not yet delivered: you may ask within %(days)s days of receiving the written answer",
    "已作出书面答复，待送达。如不服，可自收到之日起%(days)s日内请求上一级机关复查。":
        "A written answer was made and is being delivered. If you disagree, you may ask the unit above for a review within %(days)s days of receiving it.",
    "已作出复查意见，待送达。如不服，可自收到之日起%(days)s日内请求复核。":
        "A review opinion was made and is being delivered. If you disagree, you may ask for a re-review within %(days)s days of receiving it.",
    "在本页打开或下载文书，即视为您于当日收到（网上送达）。":
        "Opening or downloading a notice on this page counts as receiving it that day (delivery online).",
    "书面答复待送达：请在收到之日起30日内提出。上一级机关将在收到请求之日起30日内答复。":
        "The written answer is being delivered: ask within 30 days of receiving it. The unit above answers within 30 days of your request.",
    "书面答复送达信访人": "Written answer delivered to you",
    "本系统规定": "Rule of this system",
    "自作出答复之日起；送达前复查期限显示为“待送达”": "from the answer; until delivered, the review window shows “not yet delivered”",
}


def unquote(block):
    return "".join(m.replace('\\"', '"').replace("\\n", "\n") for m in re.findall(r'"((?:[^"\\]|\\.)*)"', block))


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    path = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    po = path.read_text()
    missing = []

    def fill(match):
        msgid_block = match.group(1)
        text = unquote(msgid_block)
        if not text:
            return match.group(0)
        if text not in EN:
            missing.append(text)
            return match.group(0)
        return f"msgid {msgid_block}msgstr {quote(EN[text])}\n"

    po = re.sub(r'msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr (?:"(?:[^"\\]|\\.)*"\n)+', fill, po)
    po = re.sub(r"(?m)^#~.*\n", "", po).rstrip("\n") + "\n"  # entries no longer in the code
    po = re.sub(r'"\n(msgid )', r'"\n\n\1', po)  # an entry always starts after a blank line
    po = po.replace('"Language: \\n"', '"Language: en\\n"')
    # Every msgstr comes from the table above, so makemessages' guesses ("fuzzy", with
    # the old msgid after "#|") mean nothing here, and compilemessages would skip them.
    po = re.sub(r"(?m)^#\| .*\n", "", po)
    po = re.sub(r"(?m)^#, fuzzy\n", "", po)
    po = re.sub(r"(?m)^#, fuzzy, ", "#, ", po)
    path.write_text(po)
    if missing:
        print("untranslated:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

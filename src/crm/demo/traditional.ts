/**
 * A small simplified → traditional converter for the demo's own vocabulary (zh-TW and zh-HK customers).
 * Words first (vocabulary that differs, and characters whose traditional form depends on the word), then
 * single characters. It covers the characters the demo templates use; it is not a general converter.
 */

const WORDS: readonly (readonly [string, string])[] = [
  ['信息', '訊息'],
  ['视频', '影片'],
  ['质量', '品質'],
  ['网络', '網路'],
  ['软件', '軟體'],
  ['短信', '簡訊'],
  ['屏幕', '螢幕'],
  ['鼠标', '滑鼠'],
  ['卷头发', '捲頭髮'],
  ['头发', '頭髮'],
  ['伤发', '傷髮'],
  ['复杂', '複雜'],
  ['回复', '回覆'],
  ['反复', '反覆'],
  ['合并', '合併'],
  ['松了', '鬆了'],
  ['刮胡', '刮鬍'],
  ['范围', '範圍'],
  ['手表', '手錶'],
  ['表带', '錶帶'],
  ['分钟', '分鐘'],
  ['余额', '餘額'],
  ['联系', '聯繫'],
  ['关系', '關係'],
  ['干净', '乾淨'],
  ['制造', '製造'],
  ['打印', '列印'],
]

const CHARACTERS =
  '万萬与與专專业業内內东東丢丟两兩严嚴个個丰豐临臨为為丽麗么麼义義乌烏乐樂书書买買云雲亚亞产產亲親仅僅从從仓倉' +
  '们們价價优優会會伞傘伟偉传傳伤傷伦倫体體侦偵偿償储儲儿兒兰蘭关關兴興写寫军軍农農冯馮冲沖决決况況冻凍净淨' +
  '准準凉涼减減凑湊几幾凭憑凯凱击擊划劃刘劉刚剛创創别別办辦务務动動势勢区區医醫华華单單卖賣卢盧卫衛历歷压壓' +
  '厦廈参參双雙发發变變叠疊叶葉号號后後吕呂吗嗎听聽启啟吴吳呗唄员員咨諮响響喽嘍园園围圍国國图圖场場坏壞坞塢' +
  '垫墊声聲壳殼壶壺处處备備复復头頭夹夾奥奧妈媽娱娛孙孫学學宁寧宝寶实實审審对對导導将將尔爾尘塵尝嘗尽盡层層' +
  '屿嶼岗崗岚嵐岛島崂嶗师師带帶帮幫并並广廣庆慶库庫应應废廢开開异異张張弥彌弯彎弹彈强強当當录錄彻徹忆憶态態' +
  '恶惡悦悅戏戲户戶扩擴扫掃扬揚护護报報担擔拦攔拨撥择擇挂掛损損换換据據揽攬携攜摄攝数數断斷无無旧舊时時显顯' +
  '晒曬晓曉暂暫机機杂雜条條来來杨楊杰傑极極构構枪槍柜櫃标標样樣档檔桥橋梦夢检檢楼樓槛檻欢歡欧歐毕畢毡氈气氣' +
  '汇匯汉漢汤湯沟溝没沒泼潑泽澤洁潔浅淺测測浑渾涂塗涛濤润潤淀澱温溫游遊湾灣湿濕满滿滤濾滨濱灯燈灵靈炉爐点點' +
  '烁爍烂爛烦煩烧燒烫燙热熱爱愛状狀独獨猫貓环環现現电電畅暢疗療监監盖蓋盗盜盘盤着著码碼确確礼禮离離种種积積' +
  '称稱税稅稳穩笔筆筑築签簽简簡紧緊红紅约約级級纪紀纳納纸紙纹紋纽紐线線组組细細织織经經绑綁结結绕繞给給络絡' +
  '统統绣繡继繼续續维維绿綠缓緩编編缝縫缠纏缩縮网網罗羅联聯肤膚胀脹胆膽胶膠脉脈脑腦脚腳脱脫脸臉腻膩艳艷节節' +
  '苏蘇苹蘋荐薦荣榮获獲营營萨薩蒋蔣蓝藍虚虛补補装裝见見观觀规規视視触觸计計订訂认認让讓议議记記讲講许許设設' +
  '证證评評识識诉訴译譯试試诗詩诚誠话話询詢该該详詳语語误誤说說请請诸諸诺諾读讀课課谁誰调調谊誼谢謝谭譚谱譜' +
  '贝貝负負财財责責败敗账賬货貨质質购購贸貿费費贺賀贾賈资資赖賴赞贊赠贈赵趙赶趕趋趨车車轩軒转轉轮輪软軟轴軸' +
  '轻輕载載较較辅輔辈輩辉輝输輸边邊辽遼达達过過运運还還这這进進远遠连連迟遲迹跡适適选選递遞邓鄧邮郵邹鄒邺鄴' +
  '郑鄭释釋里裡钛鈦钟鍾钢鋼钩鉤钮鈕钱錢铁鐵铝鋁铭銘银銀链鏈销銷锁鎖锈鏽错錯锥錐锦錦键鍵镇鎮镓鎵长長门門闪閃' +
  '问問间間闵閔闷悶闹鬧阁閣阅閱队隊阳陽际際陆陸陈陳陕陝险險随隨隐隱雾霧静靜韦韋韩韓页頁项項顺順须須顾顧顿頓' +
  '预預领領颈頸频頻颖穎颗顆题題颜顏额額风風飞飛饭飯馆館馈饋马馬驱驅验驗骏駿骗騙鲁魯鲸鯨鳍鰭鹏鵬麦麥黄黃齐齊龙龍'

const CHARACTER_MAP: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>()
  const chars = [...CHARACTERS]
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1])
  return map
})()

/** Converts simplified Chinese to traditional: `订单发货了吗` → `訂單發貨了嗎`. Other text is left alone. */
export function toTraditional(text: string): string {
  let result = text
  for (const [simplified, traditional] of WORDS) {
    if (result.includes(simplified)) result = result.split(simplified).join(traditional)
  }
  let out = ''
  for (const char of result) out += CHARACTER_MAP.get(char) ?? char
  return out
}

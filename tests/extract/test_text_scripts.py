"""Scraped text in other scripts keeps its article: words written with combining marks (Tamil, Devanagari) kept whole,
sentences ended by any script's terminal (Urdu ۔), hangul counted as the dense script it is."""

from __future__ import annotations

import re
import unicodedata

import pytest

from newsfold.extract.classify import STOPWORDS_HIGH, Classifier
from newsfold.extract.dispatch import Extractor
from newsfold.extract.lines import ends_sentence, line_words
from newsfold.model import Article, Origin, RawInput
from newsfold.text.words import plain_words

TAMIL = (
    "சென்னையில் புதிய மெட்ரோ பாதை திறப்பு",
    "சென்னை நகரில் புதிய மெட்ரோ ரயில் பாதை திங்கள்கிழமை திறக்கப்பட்டது. இந்த பாதை 24 கிலோமீட்டர் நீளம் கொண்டது, "
    "மேலும் 18 நிலையங்களை இணைக்கிறது.",
    "முதலமைச்சர் திறப்பு விழாவில் கலந்து கொண்டு உரையாற்றினார். நகரின் போக்குவரத்து நெரிசல் குறையும் என்று அவர் நம்பிக்கை தெரிவித்தார்.",
    "நாள்தோறும் சுமார் இரண்டு லட்சம் பயணிகள் இந்த பாதையைப் பயன்படுத்துவார்கள் என்று அதிகாரிகள் தெரிவித்தனர். "
    "திட்டத்தின் மொத்த செலவு 9,000 கோடி ரூபாய் ஆகும்.",
)
HINDI = (
    "मुंबई में नई मेट्रो लाइन शुरू",
    "मुंबई में सोमवार को नई मेट्रो लाइन का उद्घाटन किया गया। यह लाइन 24 किलोमीटर लंबी है और 18 स्टेशनों को जोड़ती है।",
    "मुख्यमंत्री ने उद्घाटन समारोह में भाग लिया और कहा कि इससे शहर में यातायात की भीड़ कम होगी।",
    "अधिकारियों ने बताया कि रोज़ाना लगभग दो लाख यात्री इस लाइन का उपयोग करेंगे। परियोजना की कुल लागत 9,000 करोड़ रुपये है।",
)
URDU = (
    "کراچی میں نئی میٹرو بس سروس کا آغاز",
    "کراچی میں پیر کے روز نئی میٹرو بس سروس کا افتتاح کیا گیا۔ "
    "یہ راستہ 24 کلومیٹر طویل ہے اور 18 اسٹیشنوں کو جوڑتا ہے۔",
    "وزیر اعلیٰ نے افتتاحی تقریب میں شرکت کی اور کہا کہ اس سے شہر میں ٹریفک کا رش کم ہوگا۔",
    "حکام کے مطابق روزانہ تقریباً دو لاکھ مسافر اس سروس کو استعمال کریں گے۔ منصوبے کی کل لاگت 9,000 کروڑ روپے ہے۔",
)
KOREAN = (
    "서울에 새 지하철 노선 개통",
    "서울시는 월요일 새 지하철 노선을 개통했다. 이 노선은 길이가 24킬로미터이며 18개 역을 연결한다.",
    "시장은 개통식에 참석해 이번 노선이 도심의 교통 혼잡을 줄일 것이라고 말했다.",
    "당국은 하루 약 20만 명의 승객이 이 노선을 이용할 것으로 예상한다고 밝혔다. 사업비는 총 9천억 원이다.",
)

THAI = (
    "กรุงเทพฯ เปิดรถไฟฟ้าสายใหม่",
    "กรุงเทพมหานครเปิดให้บริการรถไฟฟ้าสายใหม่เมื่อวันจันทร์ที่ผ่านมา เส้นทางนี้มีความยาว 24 กิโลเมตร และเชื่อมต่อ 18 สถานี",
    "ผู้ว่าราชการจังหวัดเข้าร่วมพิธีเปิดและกล่าวว่า รถไฟฟ้าสายนี้จะช่วยลดปัญหาการจราจรติดขัดในเมือง",
    "เจ้าหน้าที่ระบุว่า คาดว่าจะมีผู้โดยสารใช้บริการประมาณสองแสนคนต่อวัน โครงการนี้มีมูลค่ารวม 9,000 ล้านบาท",
)
SINHALA = (
    "කොළඹ නව දුම්රිය මාර්ගයක් විවෘත කෙරේ",
    "කොළඹ නගරයේ නව දුම්රිය මාර්ගයක් සඳුදා විවෘත කරන ලදී. මෙම මාර්ගය කිලෝමීටර් 24ක් දිග වන අතර දුම්රිය ස්ථාන 18ක් සම්බන්ධ කරයි.",
    "අගමැතිවරයා විවෘත කිරීමේ උත්සවයට සහභාගී වූ අතර නගරයේ රථවාහන තදබදය අඩු වනු ඇතැයි පැවසීය.",
    "දිනකට මගීන් දෙලක්ෂයක් පමණ මෙම මාර්ගය භාවිතා කරනු ඇතැයි නිලධාරීන් පැවසූහ. ව්‍යාපෘතියේ මුළු පිරිවැය රුපියල් කෝටි 9,000කි.",
)
CHINESE = (
    "北京新地铁线路周一开通运营",
    "北京市新的地铁线路于周一正式开通运营。这条线路全长24公里，连接18个车站。",
    "市长出席了开通仪式，并表示这条线路将缓解城市的交通拥堵。",
    "官员表示，预计每天约有20万名乘客使用这条线路。项目总投资为900亿元。",
)
JAPANESE = (
    "東京で新しい地下鉄路線が開業",
    "東京都は月曜日、新しい地下鉄路線を開業した。路線は全長24キロで、18の駅を結ぶ。",
    "知事は開業式に出席し、この路線が都心の交通渋滞を緩和すると述べた。",
    "当局によると、1日あたり約20万人の乗客が利用する見込みだ。総事業費は9000億円。",
)


def _read(extractor: Extractor, lines: tuple[str, ...]) -> list[Article]:
    """Extract a scraped-text document made of lines separated by blank lines."""
    data = "\n\n".join(lines).encode("utf-8")
    return extractor(RawInput(Origin("test.txt", media_type="text/plain"), data, media_type="text/plain"))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module (its language model loads once)."""
    return Extractor()


@pytest.mark.parametrize(
    ("lines", "language"),
    [
        (TAMIL, "ta"),
        (HINDI, "hi"),
        (URDU, "ur"),
        (KOREAN, "ko"),
        (THAI, "th"),
        (SINHALA, "si"),
        (CHINESE, "zh"),
        (JAPANESE, "ja"),
    ],
)
def test_short_story_keeps_its_text(extractor: Extractor, lines: tuple[str, ...], language: str) -> None:
    """A short news story in any of these scripts is an article with its title and every paragraph of its body.
    Tamil, Hindi, Urdu, Korean and Thai were `other` with an empty body (Tamil and Hindi words cut at each vowel sign,
    Urdu's paragraphs ended by ۔ and Thai's unpunctuated ones read as crossheads, Korean's 40-60 character
    paragraphs as too short for prose, Thai prose as a menu for want of a full stop); Sinhala, Chinese and Japanese
    lost their one-sentence middle paragraph, and the Chinese and Japanese titles (one "word" to str.split) were
    not titles."""
    (article,) = _read(extractor, lines)
    assert article.language == language
    assert article.kind == "article"
    assert article.title == lines[0]
    assert article.text == "\n\n".join(lines[1:])


def test_words_keep_their_marks() -> None:
    """A Tamil or Devanagari word is one word; ASCII and other text split as before."""
    assert plain_words("திறக்கப்பட்டது இணைக்கிறது") == ["திறக்கப்பட்டது", "இணைக்கிறது"]
    assert plain_words("उद्घाटन किया गया।") == ["उद्घाटन", "किया", "गया"]
    assert plain_words("state-run, don't") == ["state", "run", "don", "t"]
    assert plain_words("Über die Straße, 2024") == ["Über", "die", "Straße", "2024"]
    decomposed = unicodedata.normalize("NFD", "Müller")  # u + combining diaeresis: one word, not two
    assert plain_words(decomposed) == [decomposed]


def test_words_are_re_word_runs_joined_by_marks() -> None:
    """Every letter, digit and underscore run that re's \\w finds is inside one plain word, for every letter of the
    Basic Multilingual Plane (save other numbers: superscripts and fractions are no longer word characters)."""
    letters = "".join(chr(c) for c in range(0x20, 0x10000) if chr(c).isalpha() or chr(c).isdecimal() or chr(c) == "_")
    text = " ".join(letters[i : i + 7] for i in range(0, len(letters), 7))
    assert plain_words(text) == re.findall(r"\w+", text)
    assert plain_words("km² ½") == ["km"]


@pytest.mark.parametrize(
    "line", ["یہ راستہ طویل ہے۔", "Սա նոր կամուրջ է։", "ይህ አዲስ ድልድይ ነው።", "A sentence.", "«Oui», dit-il."]
)
def test_lines_end_sentences_in_any_script(line: str) -> None:
    """Urdu, Armenian and Amharic full stops end a sentence, as Latin ones (and a closing quote) do."""
    assert ends_sentence(line)
    assert not ends_sentence("A heading without a stop")


def test_line_words_count_unspaced_scripts() -> None:
    """Space-parted words count one each; runs of Chinese, Japanese or Thai count a word per few characters."""
    assert line_words("Five words in this line") == 5
    assert line_words("北京新地铁线路周一开通运营") == 6
    assert line_words("東京で新しい地下鉄路線が開業") == 7
    assert line_words(THAI[0]) == 4
    assert line_words("ok 中") == 2


def test_unmarked_scripts_end_sentences_by_length() -> None:
    """A Thai or Lao line of prose length ends a sentence (those scripts have no full stop); a short one does not."""
    assert ends_sentence(THAI[1])
    assert not ends_sentence(THAI[0])
    assert not ends_sentence("A long English line without any full stop at the end of it, however long it runs")


def test_khmer_and_myanmar_count_their_own_full_stops() -> None:
    """With no stoplist, Khmer and Myanmar prose is told from a menu by its own full stop (។, ။), Thai by length."""
    classifier = Classifier()
    khmer = "រដ្ឋាភិបាលបានបើកផ្លូវដែកថ្មីនៅថ្ងៃច័ន្ទ។"
    myanmar = "အစိုးရသည် တနင်္လာနေ့တွင် ရထားလမ်းသစ်ကို ဖွင့်လှစ်ခဲ့သည်။"
    assert classifier.stopword_density(khmer, "km") == STOPWORDS_HIGH
    assert classifier.stopword_density(khmer.rstrip("។"), "km") == 0.0
    assert classifier.stopword_density(myanmar, "my") == STOPWORDS_HIGH
    assert classifier.stopword_density(myanmar.rstrip("။"), "my") == 0.0
    assert classifier.stopword_density(THAI[1], "th") == STOPWORDS_HIGH

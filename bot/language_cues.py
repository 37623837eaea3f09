"""What a message's words and letters say about its language, before and beside lingua.

Everything here is general knowledge about the languages, not a list of test messages:
- Dutch care and admin words and Dutch place names say nothing about the language of the
  sentence around them (everyone in the Netherlands writes "huisarts", "BSN", "Den Haag");
- small function words ("je", "est", "the", "você", "nasıl") are each used by one of our
  Latin-script languages only, and short messages are mostly made of them;
- some letters belong to one language (ã õ: Portuguese; ñ ¿ ¡: Spanish) or to one keyboard
  (ی ک: a Persian keyboard; ي ك ة ى: an Arabic one);
- Arabic and Persian are often typed in Latin letters (Arabizi with 3/7/2 for ع/ح/ء; Finglish).
Word lists are compared after `bot.text.normalise` (lower case, no accents).
"""
from __future__ import annotations

import re

from bot.text import normalise


def _words(text: str) -> frozenset[str]:
    return frozenset(normalise(word) for word in text.split())


# Dutch words for care, money, papers and institutions that people writing any language use.
DUTCH_CARE_WORDS = _words(
    """
    huisarts huisartsen huisartsenpost huisartspraktijk huisartsenpraktijk praktijk assistente
    doktersassistente doktersassistent dokter arts artsen specialist poli polikliniek ziekenhuis
    ziekenhuizen seh spoedeisende spoed ambulance apotheek apotheker recept medicijnen
    medicijn tandarts tandartsen tandartspraktijk mondhygienist verloskundige verloskundigen kraamzorg
    kraamhulp consultatiebureau jgz jeugdarts kinderarts schoolarts ggd ggz psycholoog psychiater
    fysiotherapeut wijkteam buurtteam steunpunt voedselbank loket verzekering verzekeringen
    zorgverzekering zorgverzekeraar verzekeraar zorgtoeslag toeslag eigen risico bijdrage rekening
    rekeningen factuur facturen aanmaning aanmaningen incasso incassobureau deurwaarder
    betalingsherinnering cak bsn digid ind coa azc gemeente vreemdelingenpolitie politie
    verblijfsvergunning verblijfsstatus vergunning ongedocumenteerd ongedocumenteerden asielzoeker
    inschrijven inschrijving ingeschreven inschrijfbalie balie patientenadministratie afspraak
    spreekuur verwijzing verwijsbrief identiteitsbewijs paspoort kaart tolk tolken tolkentelefoon
    tolkdienst bemiddelaar medisch medische noodzakelijk noodzakelijke zorg beroepsgeheim
    vaccinatie vaccinaties rijksvaccinatieprogramma soa prep abortus dialyse insuline
    zorgverlener zorgverleners regeling burgerservicenummer gegevens
    """
)
# Dutch names of institutions and services, written the same in every language.
DUTCH_CARE_PHRASES = re.compile(
    r"\b(dokters van de wereld|eerste hulp|spoedeisende hulp|eigen risico|eigen bijdrage|sociaal loket"
    r"|medisch noodzakelijke zorg|id kaart|soa poli|het juridisch loket)\b",
    re.IGNORECASE,
)
# Turkish case endings written onto a Dutch word ("huisartsta", "ziekenhuisa", "politie'ye").
# Compared after normalisation, so "yı" is "yi" and "ü" is "u".
TURKISH_CASE_ENDING = re.compile(r"^(.{4,}?)'?(ya|ye|yi|yu|da|de|ta|te|dan|den|tan|ten|a|e|i|u|nin|la|le)$")

# Words of no language in particular.
INTERNATIONAL_WORDS = _words("ok oke okay hiv aids covid corona whatsapp sms email mail app euro euros test gratis")
# Dutch politeness everyone in the Netherlands picks up; ignored when other words remain.
DUTCH_COURTESIES = re.compile(
    r"\b(dank (je|u)( wel)?|dankjewel|dankuwel|bedankt|tot ziens|doei|hallo|hoi|goedemorgen|goedemiddag"
    r"|goedenavond|alstublieft|alsjeblieft)\b"
)

# Small words each used by one of our Latin-script languages only (checked by a test): a word
# two of them share ("de", "me", "que", "no", "ben", "ja") is left out.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """
        the you your my is are what how where when why who can could does don't dont have has
        i i'm im it it's its this that with for and not yes please thanks thank want need get
        there they will would should am be been an at if from about any some much many without
        because just also still after before them their our she he his her which doesn't can't
        cant won't wont isn't didn't did my myself someone anyone
        """
    ),
    "nl": _words(
        """
        ik jij u uw mijn het een niet geen wat hoe waar wanneer waarom wie kun kunt mag moet
        moeten wil wilt heb hebt heeft hebben ben bent zijn wordt worden met voor van naar op bij
        als ook nog maar dat deze er om nu hier daar graag dank bedankt nee wel zonder mij ons
        onze hij zij ze hun gaan ga kom krijg krijgen betalen zou zeggen weet
        """
    ),
    "fr": _words(
        """
        tu il elle nous vous ils elles les des du au aux une est sont suis ai avez avons ont
        pas plus oui non et avec pour dans sur chez mon mes ton ta tes sa ses ce cet cette ces
        ça ca qui quoi comment quand pourquoi combien merci bonjour salut stp svp s'il plait peux
        peut veux veut dois doit faire fait aller vais avoir être aussi très bien sans médecin
        hôpital payer argent rien jamais toujours besoin aide j'ai c'est qu'est n'ai d'accord
        """
    ),
    "es": _words(
        """
        yo él ella ellos ellas los las lo del una uno unos unas soy estoy están tengo tiene tienen
        puedo puede pueden quiero quiere necesito hay muy pero dónde cuándo cuánto cuánta cuesta
        y con sin mis usted ustedes hola gracias buenos buenas hacer también ahora ayuda dinero
        papeles nosotros esto eso ese esa cuál quién bueno ya hasta entonces mucho mucha algún
        ningún ninguna embarazada eres al
        """
    ),
    "pt": _words(
        """
        e eu você vc vocês ele ela na nas eles elas os um uma uns umas das em com sem pra pro não nao sim
        tenho tem temos posso pode podem quero quer preciso precisa estou estão sou somos são foi
        fui isso isto esse essa meu minha meus minhas seu sua obrigado obrigada olá oi tchau até
        também agora ainda muito muita onde quando quanto quem qual ajuda dinheiro mãe pai filho
        filha grávida bom boa noite coisa fazer ter vou vai hoje amanhã lhe tô ao aos pelo pela pelos pelas num numa
        nesta neste nessa nesse desta deste dessa desse dou faço falar falo fala
        """
    ),
    "tr": _words(
        """
        sen biz siz onlar benim senin bir bu ne nasıl nerede neden niçin kim var yok mu mı mü
        değil evet hayır tamam lütfen teşekkür teşekkürler sağol merhaba ve ile için ama çok daha
        gibi kadar sonra önce şimdi burada orada hastane hastaneye param parası istiyorum lazım
        gerek gerekiyor olur olabilir miyim miyiz musun yardım bana beni bende sigorta sigortam
        nereye nerde hiç hic
        """
    ),
}
# Turkish verb and case endings ("gidiyorum", "alabilir", "gitmek", "hastanede").
TURKISH_ENDINGS = re.compile(
    r"^\w{2,}(iyor|uyor|abilir|ebilir|miyor|muyor)\w*$|^\w{2,}(mak|mek|makta|mekte)$"
)

# Letters (before normalisation) that only one of our languages uses.
LETTERS_OF: dict[str, str] = {
    "ã": "pt", "õ": "pt", "ñ": "es", "¿": "es", "¡": "es", "ğ": "tr", "ı": "tr", "ş": "tr", "İ": "tr"
}
# Letters only French uses among our languages, but rare enough not to decide alone
# (ê ô â ç are French and Portuguese, ç Turkish too).
LEANING_LETTERS: dict[str, str] = {"è": "fr", "ù": "fr", "û": "fr", "œ": "fr"}

# Arabic vs Persian: which keyboard the letters came from, and words only one of them uses.
PERSIAN_LETTERS = re.compile("[پچژگیک]")
ARABIC_LETTERS = re.compile("[يكةى]")
ARABIC_ONLY_WORDS = _words(
    """
    انا انت انتي احنا نحن هو هي شو شنو ايش ايه وين فين كيف ليش ليه هيك هاد هادا هادي هذا هذه
    هاي عايز عاوز عايزه بدي بدك ابغى ابي ماشي دابا بزاف واش كاين مش مو موش مافي في عندي عندو
    عندها عندك الى إلى على عن هل لو اذا إذا لم لن كان كانت الدكتور المستشفى الطبيب ممكن كتير
    كثير شي شيء حدا احد ولادي اولادي ابني بنتي زوجي زوجتي مرتي يعطيك مع السلامة
    """
)
PERSIAN_ONLY_WORDS = _words(
    """
    است هست نیست هستم نیستم را رو که چی چه برای در از می نمی خیلی هم ندارم دارم میخوام
    میخواهم کنم بکنم شده بود کجا چطور چطوری چرا آیا میشه نمیشه باید بچه بچم پسرم دخترم
    شوهرم زنم دکتر بیمارستان بیمه پول هزینه شما کمک تا با
    """
)
# Arabic in Latin letters: digits for letters Latin lacks (3 = ع, 7 = ح, 2 = ء, 5 = خ, 9 = ق).
ARABIZI_DIGIT_WORD = re.compile(r"^(?=.*[a-z])(?=.*[23579])[a-z23579']{2,}$")
ARABIZI_WORDS = _words(
    """
    ana enta inta anta enti inti e7na ehna mesh msh mish mafi mafish mafeesh shu shou
    kif keef kifak kifik bidi baddi biddi 3ayez 3ayz ayez 3awz 3awez aawz wein wain fein fen feen
    leh lesh leish leich ezay ezzay izzay izay yalla habibi habibti inshallah inchallah
    insha'allah hamdulillah hamdoulah shukran choukran chokran shokran marhaba ahlan kaman
    momken mumkin mumken mnih mni7 ya3ni 3ndi andi 3andi dyal bzaf bezzaf bezaf wach wesh
    kayn kayen kayna mashi machi daba bghit bghiit ghadi safi walo hada hadi hadha hatha
    3la 3al 3an ma3 la2 ay7aga 7aga haga hagat tabib mostashfa mustashfa fulus
    """
)
# Persian in Latin letters ("Finglish"): common words and verb forms.
FINGLISH_WORDS = _words(
    """
    mikham mikhaam mikhastam mikhay mikhai mikhad mikonam mikonim mikone mikonan mikoni mishe
    mishavad nemishe nemitoonam nemitunam nemitonam mitoonam mitunam mitonam mitoonim mitarsam
    daram nadaram nadare dari nadari darim nadarim hastam hasti hastim nistam nisti nist
    chetor chetori chetorie chetore chera koja kojast kojas begam begim begoo bego beram beravam
    boro konam konan konid bayad baiad shoma kheili khaili kheyli khoobi khubi khodahafez
    khodafez mamnoon mamnun mamnoonam lotfan bimarestan bimeh bime pezeshk dandoon dandun dard
    komak hamele hamel bardar bardaram bacheh bacham bachem mariz madarek madrak bedune bedoone
    bedoon bedun motarjem tarjome zendegi raft ghabool ghabul nakard kard shod shode oomade
    umade baram barash nazdik jayi paziresh peyda paida kardan darman darookhane ravanshenas
    zaroori chande chi chie ro bale chikar chekar inja oonja kojaye ziad nakheir ettelaat harf bezanam
    """
)
FINGLISH_VERB = re.compile(r"^n?e?mi(kh|k|sh|t|d|r|g|z|b|f|y|p|ch|j|n|l|s|v|gh)[a-z]{0,8}(am|im|id|an|and)$")
# Phrases and word endings only one language uses (on normalised text).
PHRASES_OF: dict[str, re.Pattern[str]] = {
    "pt": re.compile(r"\bo que\b|\w{3,}(cao|coes|dade|dades|agem)\b"),
    "es": re.compile(r"\blo que\b|\w{3,}(cion|ciones|dad|dades)\b|\bll\w+"),
    "fr": re.compile(r"\bil y a\b|\best-ce\b|\bqu'est\b|\bs'il (te|vous) pla"),
    "nl": re.compile(r"\bis (er|de|het|dit|dat)\b|\b(kan|mag|moet|wil) ik\b"),
    "en": re.compile(r"\bis (there|the|it|this|that)\b|\b(can|may|do) i\b"),
}

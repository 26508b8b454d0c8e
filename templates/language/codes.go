package language

// Code is a language as an ISO 639-1 code: two lower-case letters, "en"
// for English. The constants are every code of the standard (183 of them,
// as the ISO 639 Registration Authority lists them), each named and
// commented with the language's English name.
type Code string

const (
	Afar             Code = "aa" // Afar
	Abkhazian        Code = "ab" // Abkhazian
	Avestan          Code = "ae" // Avestan
	Afrikaans        Code = "af" // Afrikaans
	Akan             Code = "ak" // Akan
	Amharic          Code = "am" // Amharic
	Aragonese        Code = "an" // Aragonese
	Arabic           Code = "ar" // Arabic
	Assamese         Code = "as" // Assamese
	Avaric           Code = "av" // Avaric
	Aymara           Code = "ay" // Aymara
	Azerbaijani      Code = "az" // Azerbaijani
	Bashkir          Code = "ba" // Bashkir
	Belarusian       Code = "be" // Belarusian
	Bulgarian        Code = "bg" // Bulgarian
	Bislama          Code = "bi" // Bislama
	Bambara          Code = "bm" // Bambara
	Bengali          Code = "bn" // Bengali
	Tibetan          Code = "bo" // Tibetan
	Breton           Code = "br" // Breton
	Bosnian          Code = "bs" // Bosnian
	Catalan          Code = "ca" // Catalan
	Chechen          Code = "ce" // Chechen
	Chamorro         Code = "ch" // Chamorro
	Corsican         Code = "co" // Corsican
	Cree             Code = "cr" // Cree
	Czech            Code = "cs" // Czech
	ChurchSlavic     Code = "cu" // Church Slavic
	Chuvash          Code = "cv" // Chuvash
	Welsh            Code = "cy" // Welsh
	Danish           Code = "da" // Danish
	German           Code = "de" // German
	Divehi           Code = "dv" // Divehi
	Dzongkha         Code = "dz" // Dzongkha
	Ewe              Code = "ee" // Ewe
	Greek            Code = "el" // Greek
	English          Code = "en" // English
	Esperanto        Code = "eo" // Esperanto
	Spanish          Code = "es" // Spanish
	Estonian         Code = "et" // Estonian
	Basque           Code = "eu" // Basque
	Persian          Code = "fa" // Persian
	Fulah            Code = "ff" // Fulah
	Finnish          Code = "fi" // Finnish
	Fijian           Code = "fj" // Fijian
	Faroese          Code = "fo" // Faroese
	French           Code = "fr" // French
	WesternFrisian   Code = "fy" // Western Frisian
	Irish            Code = "ga" // Irish
	ScottishGaelic   Code = "gd" // Scottish Gaelic
	Galician         Code = "gl" // Galician
	Guarani          Code = "gn" // Guarani
	Gujarati         Code = "gu" // Gujarati
	Manx             Code = "gv" // Manx
	Hausa            Code = "ha" // Hausa
	Hebrew           Code = "he" // Hebrew
	Hindi            Code = "hi" // Hindi
	HiriMotu         Code = "ho" // Hiri Motu
	Croatian         Code = "hr" // Croatian
	HaitianCreole    Code = "ht" // Haitian Creole
	Hungarian        Code = "hu" // Hungarian
	Armenian         Code = "hy" // Armenian
	Herero           Code = "hz" // Herero
	Interlingua      Code = "ia" // Interlingua
	Indonesian       Code = "id" // Indonesian
	Interlingue      Code = "ie" // Interlingue
	Igbo             Code = "ig" // Igbo
	SichuanYi        Code = "ii" // Sichuan Yi
	Inupiaq          Code = "ik" // Inupiaq
	Ido              Code = "io" // Ido
	Icelandic        Code = "is" // Icelandic
	Italian          Code = "it" // Italian
	Inuktitut        Code = "iu" // Inuktitut
	Japanese         Code = "ja" // Japanese
	Javanese         Code = "jv" // Javanese
	Georgian         Code = "ka" // Georgian
	Kongo            Code = "kg" // Kongo
	Kikuyu           Code = "ki" // Kikuyu
	Kuanyama         Code = "kj" // Kuanyama
	Kazakh           Code = "kk" // Kazakh
	Kalaallisut      Code = "kl" // Kalaallisut
	Khmer            Code = "km" // Khmer
	Kannada          Code = "kn" // Kannada
	Korean           Code = "ko" // Korean
	Kanuri           Code = "kr" // Kanuri
	Kashmiri         Code = "ks" // Kashmiri
	Kurdish          Code = "ku" // Kurdish
	Komi             Code = "kv" // Komi
	Cornish          Code = "kw" // Cornish
	Kyrgyz           Code = "ky" // Kyrgyz
	Latin            Code = "la" // Latin
	Luxembourgish    Code = "lb" // Luxembourgish
	Ganda            Code = "lg" // Ganda
	Limburgish       Code = "li" // Limburgish
	Lingala          Code = "ln" // Lingala
	Lao              Code = "lo" // Lao
	Lithuanian       Code = "lt" // Lithuanian
	LubaKatanga      Code = "lu" // Luba-Katanga
	Latvian          Code = "lv" // Latvian
	Malagasy         Code = "mg" // Malagasy
	Marshallese      Code = "mh" // Marshallese
	Maori            Code = "mi" // Maori
	Macedonian       Code = "mk" // Macedonian
	Malayalam        Code = "ml" // Malayalam
	Mongolian        Code = "mn" // Mongolian
	Marathi          Code = "mr" // Marathi
	Malay            Code = "ms" // Malay
	Maltese          Code = "mt" // Maltese
	Burmese          Code = "my" // Burmese
	Nauru            Code = "na" // Nauru
	NorwegianBokmal  Code = "nb" // Norwegian Bokmål
	NorthNdebele     Code = "nd" // North Ndebele
	Nepali           Code = "ne" // Nepali
	Ndonga           Code = "ng" // Ndonga
	Dutch            Code = "nl" // Dutch
	NorwegianNynorsk Code = "nn" // Norwegian Nynorsk
	Norwegian        Code = "no" // Norwegian
	SouthNdebele     Code = "nr" // South Ndebele
	Navajo           Code = "nv" // Navajo
	Chichewa         Code = "ny" // Chichewa
	Occitan          Code = "oc" // Occitan
	Ojibwa           Code = "oj" // Ojibwa
	Oromo            Code = "om" // Oromo
	Oriya            Code = "or" // Oriya
	Ossetian         Code = "os" // Ossetian
	Punjabi          Code = "pa" // Punjabi
	Pali             Code = "pi" // Pali
	Polish           Code = "pl" // Polish
	Pashto           Code = "ps" // Pashto
	Portuguese       Code = "pt" // Portuguese
	Quechua          Code = "qu" // Quechua
	Romansh          Code = "rm" // Romansh
	Rundi            Code = "rn" // Rundi
	Romanian         Code = "ro" // Romanian
	Russian          Code = "ru" // Russian
	Kinyarwanda      Code = "rw" // Kinyarwanda
	Sanskrit         Code = "sa" // Sanskrit
	Sardinian        Code = "sc" // Sardinian
	Sindhi           Code = "sd" // Sindhi
	NorthernSami     Code = "se" // Northern Sami
	Sango            Code = "sg" // Sango
	Sinhala          Code = "si" // Sinhala
	Slovak           Code = "sk" // Slovak
	Slovenian        Code = "sl" // Slovenian
	Samoan           Code = "sm" // Samoan
	Shona            Code = "sn" // Shona
	Somali           Code = "so" // Somali
	Albanian         Code = "sq" // Albanian
	Serbian          Code = "sr" // Serbian
	Swati            Code = "ss" // Swati
	SouthernSotho    Code = "st" // Southern Sotho
	Sundanese        Code = "su" // Sundanese
	Swedish          Code = "sv" // Swedish
	Swahili          Code = "sw" // Swahili
	Tamil            Code = "ta" // Tamil
	Telugu           Code = "te" // Telugu
	Tajik            Code = "tg" // Tajik
	Thai             Code = "th" // Thai
	Tigrinya         Code = "ti" // Tigrinya
	Turkmen          Code = "tk" // Turkmen
	Tagalog          Code = "tl" // Tagalog
	Tswana           Code = "tn" // Tswana
	Tonga            Code = "to" // Tonga
	Turkish          Code = "tr" // Turkish
	Tsonga           Code = "ts" // Tsonga
	Tatar            Code = "tt" // Tatar
	Twi              Code = "tw" // Twi
	Tahitian         Code = "ty" // Tahitian
	Uyghur           Code = "ug" // Uyghur
	Ukrainian        Code = "uk" // Ukrainian
	Urdu             Code = "ur" // Urdu
	Uzbek            Code = "uz" // Uzbek
	Venda            Code = "ve" // Venda
	Vietnamese       Code = "vi" // Vietnamese
	Volapuk          Code = "vo" // Volapük
	Walloon          Code = "wa" // Walloon
	Wolof            Code = "wo" // Wolof
	Xhosa            Code = "xh" // Xhosa
	Yiddish          Code = "yi" // Yiddish
	Yoruba           Code = "yo" // Yoruba
	Zhuang           Code = "za" // Zhuang
	Chinese          Code = "zh" // Chinese
	Zulu             Code = "zu" // Zulu
)

// names are the English names of the codes, as the constants' comments give them.
var names = map[Code]string{
	Afar:             "Afar",
	Abkhazian:        "Abkhazian",
	Avestan:          "Avestan",
	Afrikaans:        "Afrikaans",
	Akan:             "Akan",
	Amharic:          "Amharic",
	Aragonese:        "Aragonese",
	Arabic:           "Arabic",
	Assamese:         "Assamese",
	Avaric:           "Avaric",
	Aymara:           "Aymara",
	Azerbaijani:      "Azerbaijani",
	Bashkir:          "Bashkir",
	Belarusian:       "Belarusian",
	Bulgarian:        "Bulgarian",
	Bislama:          "Bislama",
	Bambara:          "Bambara",
	Bengali:          "Bengali",
	Tibetan:          "Tibetan",
	Breton:           "Breton",
	Bosnian:          "Bosnian",
	Catalan:          "Catalan",
	Chechen:          "Chechen",
	Chamorro:         "Chamorro",
	Corsican:         "Corsican",
	Cree:             "Cree",
	Czech:            "Czech",
	ChurchSlavic:     "Church Slavic",
	Chuvash:          "Chuvash",
	Welsh:            "Welsh",
	Danish:           "Danish",
	German:           "German",
	Divehi:           "Divehi",
	Dzongkha:         "Dzongkha",
	Ewe:              "Ewe",
	Greek:            "Greek",
	English:          "English",
	Esperanto:        "Esperanto",
	Spanish:          "Spanish",
	Estonian:         "Estonian",
	Basque:           "Basque",
	Persian:          "Persian",
	Fulah:            "Fulah",
	Finnish:          "Finnish",
	Fijian:           "Fijian",
	Faroese:          "Faroese",
	French:           "French",
	WesternFrisian:   "Western Frisian",
	Irish:            "Irish",
	ScottishGaelic:   "Scottish Gaelic",
	Galician:         "Galician",
	Guarani:          "Guarani",
	Gujarati:         "Gujarati",
	Manx:             "Manx",
	Hausa:            "Hausa",
	Hebrew:           "Hebrew",
	Hindi:            "Hindi",
	HiriMotu:         "Hiri Motu",
	Croatian:         "Croatian",
	HaitianCreole:    "Haitian Creole",
	Hungarian:        "Hungarian",
	Armenian:         "Armenian",
	Herero:           "Herero",
	Interlingua:      "Interlingua",
	Indonesian:       "Indonesian",
	Interlingue:      "Interlingue",
	Igbo:             "Igbo",
	SichuanYi:        "Sichuan Yi",
	Inupiaq:          "Inupiaq",
	Ido:              "Ido",
	Icelandic:        "Icelandic",
	Italian:          "Italian",
	Inuktitut:        "Inuktitut",
	Japanese:         "Japanese",
	Javanese:         "Javanese",
	Georgian:         "Georgian",
	Kongo:            "Kongo",
	Kikuyu:           "Kikuyu",
	Kuanyama:         "Kuanyama",
	Kazakh:           "Kazakh",
	Kalaallisut:      "Kalaallisut",
	Khmer:            "Khmer",
	Kannada:          "Kannada",
	Korean:           "Korean",
	Kanuri:           "Kanuri",
	Kashmiri:         "Kashmiri",
	Kurdish:          "Kurdish",
	Komi:             "Komi",
	Cornish:          "Cornish",
	Kyrgyz:           "Kyrgyz",
	Latin:            "Latin",
	Luxembourgish:    "Luxembourgish",
	Ganda:            "Ganda",
	Limburgish:       "Limburgish",
	Lingala:          "Lingala",
	Lao:              "Lao",
	Lithuanian:       "Lithuanian",
	LubaKatanga:      "Luba-Katanga",
	Latvian:          "Latvian",
	Malagasy:         "Malagasy",
	Marshallese:      "Marshallese",
	Maori:            "Maori",
	Macedonian:       "Macedonian",
	Malayalam:        "Malayalam",
	Mongolian:        "Mongolian",
	Marathi:          "Marathi",
	Malay:            "Malay",
	Maltese:          "Maltese",
	Burmese:          "Burmese",
	Nauru:            "Nauru",
	NorwegianBokmal:  "Norwegian Bokmål",
	NorthNdebele:     "North Ndebele",
	Nepali:           "Nepali",
	Ndonga:           "Ndonga",
	Dutch:            "Dutch",
	NorwegianNynorsk: "Norwegian Nynorsk",
	Norwegian:        "Norwegian",
	SouthNdebele:     "South Ndebele",
	Navajo:           "Navajo",
	Chichewa:         "Chichewa",
	Occitan:          "Occitan",
	Ojibwa:           "Ojibwa",
	Oromo:            "Oromo",
	Oriya:            "Oriya",
	Ossetian:         "Ossetian",
	Punjabi:          "Punjabi",
	Pali:             "Pali",
	Polish:           "Polish",
	Pashto:           "Pashto",
	Portuguese:       "Portuguese",
	Quechua:          "Quechua",
	Romansh:          "Romansh",
	Rundi:            "Rundi",
	Romanian:         "Romanian",
	Russian:          "Russian",
	Kinyarwanda:      "Kinyarwanda",
	Sanskrit:         "Sanskrit",
	Sardinian:        "Sardinian",
	Sindhi:           "Sindhi",
	NorthernSami:     "Northern Sami",
	Sango:            "Sango",
	Sinhala:          "Sinhala",
	Slovak:           "Slovak",
	Slovenian:        "Slovenian",
	Samoan:           "Samoan",
	Shona:            "Shona",
	Somali:           "Somali",
	Albanian:         "Albanian",
	Serbian:          "Serbian",
	Swati:            "Swati",
	SouthernSotho:    "Southern Sotho",
	Sundanese:        "Sundanese",
	Swedish:          "Swedish",
	Swahili:          "Swahili",
	Tamil:            "Tamil",
	Telugu:           "Telugu",
	Tajik:            "Tajik",
	Thai:             "Thai",
	Tigrinya:         "Tigrinya",
	Turkmen:          "Turkmen",
	Tagalog:          "Tagalog",
	Tswana:           "Tswana",
	Tonga:            "Tonga",
	Turkish:          "Turkish",
	Tsonga:           "Tsonga",
	Tatar:            "Tatar",
	Twi:              "Twi",
	Tahitian:         "Tahitian",
	Uyghur:           "Uyghur",
	Ukrainian:        "Ukrainian",
	Urdu:             "Urdu",
	Uzbek:            "Uzbek",
	Venda:            "Venda",
	Vietnamese:       "Vietnamese",
	Volapuk:          "Volapük",
	Walloon:          "Walloon",
	Wolof:            "Wolof",
	Xhosa:            "Xhosa",
	Yiddish:          "Yiddish",
	Yoruba:           "Yoruba",
	Zhuang:           "Zhuang",
	Chinese:          "Chinese",
	Zulu:             "Zulu",
}

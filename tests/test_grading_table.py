"""Fair and wrong typed answers to the bundled decks' own cards, each graded as a careful
reader would: every fair answer right, every wrong one wrong (issue 19, item 8).

Each line is `deck:card | what the learner typed`.
"""

import pytest

from quiz.study.grading import grade

FAIR = """
    wrong-premise:etorofu-kunashiri | Kunashiri, Etorofu
    wrong-premise:etorofu-kunashiri | Kunashiri and Etorofu
    wrong-premise:etorofu-kunashiri | Etorofu & Kunashiri
    wrong-premise:etorofu-kunashiri | Kunashiri; Etorofu
    wrong-premise:etorofu-kunashiri | etorofu, kunashiri
    wrong-premise:etorofu-kunashiri | Etorofu/Kunashiri
    wrong-premise:etorofu-kunashiri | Etorofu + Kunashiri
    wrong-premise:etorofu-kunashiri | Kunashiri & Etorofu.
    wrong-premise:etorofu-kunashiri | Etorofu and Kunashri
    wrong-premise:joint-declaration-year | in 1956
    wrong-premise:joint-declaration-year | In 1956.
    wrong-premise:joint-declaration-year | the year 1956
    wrong-premise:joint-declaration-year | in the year 1956
    timeline:declaration-to-tokyo-years | 37 years
    timeline:declaration-to-tokyo-years | thirty-seven
    wrong-premise:islands-seized-year | in 1945
    wrong-premise:islands-seized-year | 1945.
    timeline:seizure-to-declaration-years | eleven years
    japan-seeks-ties:islands-captured-1945 | In 1945
    wrong-premise:yeltsin-tokyo-visit | President Yeltsin
    wrong-premise:yeltsin-tokyo-visit | President Boris Yeltsin
    wrong-premise:yeltsin-tokyo-visit | Boris Yeltsin
    wrong-premise:yeltsin-tokyo-visit | yeltsin
    wrong-premise:yeltsin-tokyo-visit | Russian President Boris Yeltsin
    wrong-premise:yeltsin-tokyo-visit | Mr Yeltsin
    wrong-premise:yeltsin-tokyo-visit | Boris Yelstin
    japan-seeks-ties:abe-putin-meeting-count | five times
    japan-seeks-ties:abe-putin-meeting-count | 5 times
    japan-seeks-ties:abe-putin-meeting-count | 5
    japan-seeks-ties:abe-putin-meeting-count | Five
    japan-seeks-ties:abe-putin-meeting-count | 5 times.
    wrong-premise:russian-stalling-technique | stallng
    wrong-premise:russian-stalling-technique | Stalling
    wrong-premise:abe-enthusiasm-partnership | Prime Minister Abe
    wrong-premise:abe-enthusiasm-partnership | Prime Minister Shinzo Abe
    wrong-premise:abe-enthusiasm-partnership | Shinzo Abe
    wrong-premise:abe-enthusiasm-partnership | abe
    ukraine-torpedoes:abe-main-objective | Prime Minister Shinzo Abe
    ukraine-torpedoes:abe-main-objective | PM Abe
    wrong-premise:china-russia-drill-location | in the South China Sea
    wrong-premise:china-russia-drill-location | the South China Sea
    streltsov:vital-partners-despite-disputes | South Korea, China
    streltsov:vital-partners-despite-disputes | China & South Korea
    streltsov:vital-partners-despite-disputes | both China and South Korea
    thorn-in-ties:japan-wants-oil-gas | natural gas and oil
    thorn-in-ties:japan-wants-oil-gas | gas, oil
    thorn-in-ties:japan-wants-oil-gas | oil & natural gas
    timeline:putin-visit-second-half-2014 | the second half of 2014
    timeline:putin-visit-second-half-2014 | second half of the year
    wrong-premise:power-bridge-strait | the La Perouse Strait
    wrong-premise:power-bridge-strait | across the La Pérouse Strait
    wrong-premise:power-bridge-strait | La Perouse
    wrong-premise:power-bridge-sakhalin | Sakhalin island
    wrong-premise:power-bridge-sakhalin | on Sakhalin
    wrong-premise:kristina-voda | Ms Voda
    wrong-premise:kristina-voda | Kristina Voda.
    wrong-premise:hosokawa-tokyo-declaration | Prime Minister Hosokawa
    wrong-premise:hosokawa-tokyo-declaration | Hosokawa
    wrong-premise:hosokawa-tokyo-declaration | Prime Minister Morihiro Hosokawa
    wrong-premise:panov-window-of-opportunity | Ambassador Panov
    wrong-premise:panov-window-of-opportunity | Alexander Panov
    japan-seeks-ties:voa-reporter-lipin | Michael Lipin
    japan-seeks-ties:voa-reporter-lipin | Lipin
    japan-seeks-ties:sochi-olympics-venue | in Sochi
    japan-seeks-ties:sochi-olympics-venue | Sochi.
    japan-seeks-ties:doi-asia-society | the Asia Society
    japan-seeks-ties:doi-asia-society | for the Asia Society
    japan-seeks-ties:islands-off-hokkaido | off Hokkaido
    japan-seeks-ties:islands-off-hokkaido | Hokaido
    japan-seeks-ties:dokdo-island | Dokdo
    japan-seeks-ties:senkaku-chinese-name | Diaoyu
    japan-seeks-ties:senkaku-chinese-name | the Diaoyu Islands
    streltsov:soviet-like-perception | Soviet like
    streltsov:soviet-like-perception | a Soviet-like country
    streltsov:national-dignity | national dignity
    streltsov:national-dignity | a problem of national dignity
    streltsov:who-japanese-taught-occupied | the USSR
    streltsov:who-japanese-taught-occupied | Soviet Union
    streltsov:trust-takes-generations | several generations
    streltsov:trust-takes-generations | generations
    streltsov:cornerstone-security-treaty | the US-Japan Security Treaty
    streltsov:cornerstone-security-treaty | the Security Treaty with the United States
    streltsov:sco-security-projects | SCO
    streltsov:sco-security-projects | Shanghai Cooperation Organisation
    streltsov:pyongyang-nuclear-program | Pyongyang
    streltsov:siberia-far-east-integration | the Russian Far East and Siberia
    streltsov:siberia-far-east-integration | Siberia & the Far East
    streltsov:siberia-far-east-integration | Siberia, the Russian Far East
    streltsov:fukushima-energy-reforms | Fukushima
    streltsov:fukushima-energy-reforms | after Fukushima
    streltsov:japan-us-counterbalance-china | the United States
    streltsov:japan-us-counterbalance-china | with the US
    streltsov:japan-us-counterbalance-china | U.S.A.
    streltsov:gentlemens-agreement | a gentlemen's agreement
    streltsov:gentlemens-agreement | Gentleman's agreement
    streltsov:northern-territories-day | Northern Territories Day
    streltsov:northern-territories-day | on the Day of the Northern Territories
    thorn-in-ties:miller-reasons-author | J. Berkshire Miller
    thorn-in-ties:miller-reasons-author | Miller
    thorn-in-ties:miller-reasons-author | Berkshire Miller
    thorn-in-ties:asean-marginalized | Southeast Asia
    thorn-in-ties:asean-marginalized | South-East Asia
    thorn-in-ties:asean-marginalized | Association of Southeast Asian Nations
    thorn-in-ties:russian-far-east-development | the Russian Far East
    thorn-in-ties:russian-far-east-development | Far East
    timeline:weitz-ukraine-crisis | the Ukraine crisis
    timeline:weitz-ukraine-crisis | the Ukrainian crisis
    ukraine-torpedoes:state-of-war-origin | the Second World War
    ukraine-torpedoes:state-of-war-origin | WW2
    ukraine-torpedoes:state-of-war-origin | World War 2
    wrong-premise:crimea-hero | Crimea
    wrong-premise:crimea-hero | the Crimea
    wrong-premise:abe-g7-sanctions | G-7
    wrong-premise:abe-g7-sanctions | the G7
    wrong-premise:abe-g7-sanctions | the Group of Seven
    wrong-premise:abe-g7-sanctions | in the G7
    wrong-premise:sputnik-praise | Sputnik
    wrong-premise:putin-catherine-the-great | Catherine the Great
    wrong-premise:putin-catherine-the-great | Catherine II
    wrong-premise:india-same-weapons | India
    wrong-premise:india-same-weapons | to India
    wrong-premise:japanese-name-southern-kurils | Northern Territories
    wrong-premise:japanese-name-southern-kurils | the northern territories
    wrong-premise:japanese-name-southern-kurils | Northen Territories
    streltsov:atmosphere-of-mutual-trust | mutual trust
    streltsov:abe-counterbalance-china | counterbalance / against China
    streltsov:abe-counterbalance-china | a counterbalance / China
    japan-seeks-ties:xi-jinping-ally | President Xi
    japan-seeks-ties:xi-jinping-ally | President Xi Jinping
    japan-seeks-ties:xi-jinping-ally | Xi Jinpin
    authors-compared:who-cites-fergusson | Streltsov
    authors-compared:who-cites-fergusson | Dmitry Streltsov.
    japan-seeks-ties:xi-jinping-ally | Chinese President Xi Jinping
    timeline:treaty-missing-seven-decades | seven decades
    timeline:treaty-missing-seven-decades | 7 decades
    timeline:proposals-two-and-a-half-decades | two and a half decades
    timeline:proposals-two-and-a-half-decades | 25 years
    streltsov:visa-free-exchanges | visa free
    japan-seeks-ties:fukushima-natural-gas | in 2011 / natural gas
    japan-seeks-ties:moscow-stance-world-war-two | WW2
    japan-seeks-ties:moscow-stance-world-war-two | the Second World War
    wrong-premise:premise-misconceived | China / misconcieved
    thorn-in-ties:striving-influence-korean-issue | Korean
    wrong-premise:sputnik-praise | the Sputnik news agency
    wrong-premise:power-bridge-strait | the Strait of La Perouse
    streltsov:northern-territories-day | the Day of Northern Territories
    wrong-premise:abe-enthusiasm-partnership | Abe Shinzo
    streltsov:trust-takes-generations | for several generations
    streltsov:soviet-like-perception | as a Soviet-like country
    streltsov:japan-us-counterbalance-china | the United States of America
    japan-seeks-ties:islands-off-hokkaido | the island of Hokkaido
    streltsov:pyongyang-nuclear-program | the capital city of Pyongyang
    streltsov:fukushima-energy-reforms | after Fukushima
    timeline:weitz-ukraine-crisis | the crisis in Ukraine
    streltsov:national-dignity | a matter of national dignity
    streltsov:japan-us-counterbalance-china | America
    japan-seeks-ties:islands-off-hokkaido | Hokkaido island
    japan-seeks-ties:sochi-olympics-venue | the Sochi resort
    wrong-premise:hosokawa-tokyo-declaration | Hosokawa Morihiro
    wrong-premise:yeltsin-tokyo-visit | Yeltsin, Boris
    japan-seeks-ties:abe-putin-meeting-count | five (5)
    timeline:treaty-missing-seven-decades | more than seven decades
    timeline:cold-war-mood-post-bipolar | the post bipolar world
    timeline:logjam-for-decades | for decades
    wrong-premise:etorofu-kunashiri | the islands of Etorofu and Kunashiri
    wrong-premise:etorofu-kunashiri | Kunashiri and Etorofu islands
"""

WRONG = """
    wrong-premise:etorofu-kunashiri | Etorofu
    wrong-premise:etorofu-kunashiri | Kunashiri
    wrong-premise:etorofu-kunashiri | Etorofu, Kunashiri and Shikotan
    wrong-premise:etorofu-kunashiri | Etorofu and Shikotan
    wrong-premise:etorofu-kunashiri | Kunashiri and Habomai
    wrong-premise:etorofu-kunashiri | Etorofu or Kunashiri
    wrong-premise:etorofu-kunashiri | Etorofu and Etorofu
    wrong-premise:joint-declaration-year | before 1956
    wrong-premise:joint-declaration-year | after 1956
    wrong-premise:joint-declaration-year | by 1956
    wrong-premise:joint-declaration-year | since 1956
    wrong-premise:joint-declaration-year | around 1956
    wrong-premise:joint-declaration-year | 1965
    wrong-premise:joint-declaration-year | 1956 or 1957
    wrong-premise:joint-declaration-year | in 1955
    wrong-premise:islands-seized-year | 1956
    timeline:seizure-to-declaration-years | 12
    japan-seeks-ties:islands-captured-1945 | after 1945
    japan-seeks-ties:fukushima-natural-gas | 2012 / natural gas
    wrong-premise:yeltsin-tokyo-visit | Boris Gorbachev
    wrong-premise:yeltsin-tokyo-visit | Gorbachev
    wrong-premise:yeltsin-tokyo-visit | Mikhail Yeltsin
    wrong-premise:yeltsin-tokyo-visit | Putin
    wrong-premise:yeltsin-tokyo-visit | Vladimir Putin
    wrong-premise:yeltsin-tokyo-visit | Prime Minister Yeltsin
    wrong-premise:yeltsin-tokyo-visit | Yeltsin and Putin
    japan-seeks-ties:abe-putin-meeting-count | six
    japan-seeks-ties:abe-putin-meeting-count | six times
    japan-seeks-ties:abe-putin-meeting-count | 6 times
    japan-seeks-ties:abe-putin-meeting-count | five or six
    japan-seeks-ties:abe-putin-meeting-count | four
    japan-seeks-ties:abe-putin-meeting-count | 15
    japan-seeks-ties:abe-putin-meeting-count | fifty
    japan-seeks-ties:abe-putin-meeting-count | five times, maybe six
    japan-seeks-ties:abe-putin-meeting-count | more than five
    japan-seeks-ties:abe-putin-meeting-count | about five
    wrong-premise:russian-stalling-technique | stalking
    wrong-premise:russian-stalling-technique | stalling and stalking
    wrong-premise:russian-stalling-technique | installing
    wrong-premise:abe-enthusiasm-partnership | President Abe
    wrong-premise:abe-enthusiasm-partnership | Hosokawa
    wrong-premise:abe-enthusiasm-partnership | Shinzo Hosokawa
    ukraine-torpedoes:abe-main-objective | Yoshihide Suga
    wrong-premise:china-russia-drill-location | East China Sea
    wrong-premise:china-russia-drill-location | Sea of Japan
    wrong-premise:china-russia-drill-location | China Sea
    streltsov:vital-partners-despite-disputes | China
    streltsov:vital-partners-despite-disputes | China and North Korea
    streltsov:vital-partners-despite-disputes | China, South Korea and the US
    streltsov:vital-partners-despite-disputes | China and Korea
    thorn-in-ties:japan-wants-oil-gas | oil
    thorn-in-ties:japan-wants-oil-gas | oil, gas and coal
    thorn-in-ties:japan-wants-oil-gas | coal
    timeline:putin-visit-second-half-2014 | the first half of 2014
    timeline:declaration-to-tokyo-years | 38 years
    wrong-premise:power-bridge-strait | Tsugaru Strait
    wrong-premise:power-bridge-sakhalin | Hokkaido
    wrong-premise:power-bridge-sakhalin | Kunashiri
    authors-compared:who-cites-fergusson | J. Fergusson
    authors-compared:who-cites-fergusson | Jonathan Eyal
    wrong-premise:kristina-voda | Kristina Panov
    wrong-premise:hosokawa-tokyo-declaration | Hashimoto
    wrong-premise:hosokawa-tokyo-declaration | Morihiro Abe
    wrong-premise:panov-window-of-opportunity | Alexander Putin
    japan-seeks-ties:voa-reporter-lipin | Michael Doi
    japan-seeks-ties:sochi-olympics-venue | Sochy
    japan-seeks-ties:sochi-olympics-venue | Crimea
    japan-seeks-ties:doi-asia-society | Asia Foundation
    japan-seeks-ties:islands-off-hokkaido | Honshu
    japan-seeks-ties:islands-off-hokkaido | Sakhalin
    japan-seeks-ties:senkaku-chinese-name | Senkaku
    japan-seeks-ties:senkaku-chinese-name | Dokdo
    streltsov:soviet-like-perception | Soviet
    streltsov:national-dignity | national security
    streltsov:who-japanese-taught-occupied | Russia
    streltsov:trust-takes-generations | several decades
    streltsov:cornerstone-security-treaty | the peace treaty
    streltsov:sco-security-projects | ASEAN
    streltsov:pyongyang-nuclear-program | Seoul
    streltsov:siberia-far-east-integration | Siberia
    streltsov:siberia-far-east-integration | Siberia and Sakhalin
    streltsov:japan-us-counterbalance-china | China
    streltsov:japan-us-counterbalance-china | the United Kingdom
    streltsov:gentlemens-agreement | a peace agreement
    streltsov:northern-territories-day | Victory Day
    thorn-in-ties:miller-reasons-author | Lipin
    thorn-in-ties:asean-marginalized | East Asia
    thorn-in-ties:asean-marginalized | South Asia
    thorn-in-ties:russian-far-east-development | Siberia
    timeline:weitz-ukraine-crisis | the Crimea crisis
    ukraine-torpedoes:state-of-war-origin | World War I
    ukraine-torpedoes:state-of-war-origin | the Russo-Japanese War
    wrong-premise:crimea-hero | Donbas
    wrong-premise:abe-g7-sanctions | G8
    wrong-premise:abe-g7-sanctions | G20
    wrong-premise:abe-g7-sanctions | Group of Eight
    wrong-premise:sputnik-praise | TASS
    wrong-premise:putin-catherine-the-great | Peter the Great
    wrong-premise:putin-catherine-the-great | Catherine I
    wrong-premise:india-same-weapons | Indonesia
    wrong-premise:japanese-name-southern-kurils | Southern Kurils
    wrong-premise:japanese-name-southern-kurils | Northern Islands
    wrong-premise:japanese-name-southern-kurils | Kuril Islands
    streltsov:atmosphere-of-mutual-trust | distrust
    streltsov:atmosphere-of-mutual-trust | mistrust
    streltsov:abe-counterbalance-china | counterbalance / Chile
    japan-seeks-ties:xi-jinping-ally | Hu Jintao
    japan-seeks-ties:xi-jinping-ally | President Putin
    timeline:treaty-missing-seven-decades | six decades
    timeline:proposals-two-and-a-half-decades | three and a half decades
    timeline:cold-war-mood-post-bipolar | the bipolar world
    japan-seeks-ties:fukushima-natural-gas | 2010 / natural gas
    japan-seeks-ties:fukushima-natural-gas | before 2011 / natural gas
    japan-seeks-ties:moscow-stance-world-war-two | World War I
    wrong-premise:premise-misconceived | China / misconceive
    thorn-in-ties:striving-influence-korean-issue | South Korean
    streltsov:abe-counterbalance-china | counterbalance / China Sea
    streltsov:abe-counterbalance-china | counterbalance / the South China Sea
    streltsov:fukushima-energy-reforms | before Fukushima
    wrong-premise:abe-enthusiasm-partnership | Vladimir Abe
    japan-seeks-ties:islands-off-hokkaido | the island of Honshu
    streltsov:japan-us-counterbalance-china | Britain
    timeline:weitz-ukraine-crisis | the crisis in Crimea
    wrong-premise:hosokawa-tokyo-declaration | Hosokawa Tokyo
    wrong-premise:hosokawa-tokyo-declaration | Hosokawa Yeltsin
    thorn-in-ties:striving-influence-korean-issue | Korean peace treaty
    japan-seeks-ties:abe-putin-meeting-count | five (6)
"""


def rows(table: str) -> list[tuple[str, str]]:
    out = []
    for line in table.strip().splitlines():
        where, given = (part.strip() for part in line.split(" | ", 1))
        out.append((where, given))
    return out


@pytest.fixture(scope="module")
def cards(catalog):
    return {f"{deck.id}:{card.id}": card for deck in catalog.decks for card in deck.cards}


def test_the_tables_are_big_enough_and_cover_the_decks():
    fair, wrong = rows(FAIR), rows(WRONG)
    assert len(fair) >= 60 and len(wrong) >= 40
    assert len({w.split(":")[0] for w, _ in fair + wrong}) == 7  # every bundled deck


@pytest.mark.parametrize(("where", "given"), rows(FAIR), ids=lambda v: v)
def test_a_fair_answer_is_right(cards, where, given):
    card = cards[where]
    assert card.type in ("typed", "cloze")
    assert grade(card, given).correct is True, (given, card.answer, card.accept)


@pytest.mark.parametrize(("where", "given"), rows(WRONG), ids=lambda v: v)
def test_a_wrong_answer_is_wrong(cards, where, given):
    card = cards[where]
    assert grade(card, given).correct is False, (given, card.answer, card.accept)

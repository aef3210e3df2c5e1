"""The hints and explanations of the checks in Chinese (简体中文), for :mod:`helpers.wording`.

``HINTS``: ``{English text: Chinese text}`` for every hint text of the course (the ``hint=`` and
``mistakes=`` texts of ``helpers/exercises/NN_topic.py`` and ``helpers/checks.py``) and every
concept question's ``explanation=``, keyed by the English exactly as the source writes it.
``TEMPLATES``: the same for the hints made with an f-string: ``{}`` stands for each placeholder, in
the English order; a translation takes them in that order with ``{}``, or by position (``{0}``,
``{2}``) where Chinese puts them in another order.

The list of English texts comes from ``python scripts/extract_hints.py`` (``--missing`` or
``--skeleton`` for the ones not translated yet); ``tests/test_wording.py`` fails, naming the text,
when a hint or an explanation of the source has no entry here. Terms follow docs/glossary_zh.md;
values, names, code and formulas stay as the English writes them.
"""

HINTS = {
    "Write the layer for one example, z = W a + b, with a the column of the 3 activations of the layer before and z the column of this layer's 5 units. A product (p, q)(q, r) gives (p, r): which shape turns a (3, 1) column into a (5, 1) column?":
        "写出一个样本经过这一层的式子 z = W a + b，其中 a 是前一层 3 个激活值组成的列向量，z 是本层 5 个单元组成的列向量。乘积 (p, q)(q, r) 得到 (p, r)：什么形状能把 (3, 1) 的列向量变成 (5, 1) 的列向量？",
    "Layer l has n[l] x n[l-1] weights (its W) and n[l] biases (its b). Add them for l = 1, 2, 3: layer 0 is the input and has no parameters of its own.":
        "第 l 层有 n[l] x n[l-1] 个权重（它的 W）和 n[l] 个偏置（它的 b）。把 l = 1, 2, 3 的加起来：第 0 层是输入，没有自己的参数。",
    "Think of what one example of the training set holds: the inputs (layer 0) and the label (what layer L should output). What does it say about the units in between?":
        "想一想训练集里的一个样本包含什么：输入（第 0 层）和标签（第 L 层应当输出的值）。关于中间的单元，它告诉了你什么？",
    "the entries come out in a different order: reshape the image as it is; do not transpose it first.":
        "元素的顺序不对：直接对图像本身做 reshape，不要先转置。",
    "each column mixes two images: reshape(-1, m) cuts the data without regard to where an image ends. Make one ROW per image first (reshape(m, -1)), then transpose.":
        "每一列混合了两张图像：reshape(-1, m) 切分数据时不管一张图像在哪里结束。先让每张图像各占一行（reshape(m, -1)），再转置。",
    "each column mixes several images: make one ROW per image first (reshape(m, -1)), then transpose.":
        "每一列混合了几张图像：先让每张图像各占一行（reshape(m, -1)），再转置。",
    "W[l] is (n[l], n[l-1]): its rows are the units of layer l, its columns those of layer l-1.":
        "W[l] 的形状是 (n[l], n[l-1])：它的行对应第 l 层的单元，列对应第 l-1 层的单元。",
    "b[l] is a column with one entry per unit of layer l: (n[l], 1).":
        "b[l] 是列向量，第 l 层的每个单元对应一个元素：(n[l], 1)。",
    "examples are columns: every Z[l] and A[l] is (n[l], m), not (m, n[l]).":
        "样本是列：每个 Z[l] 和 A[l] 的形状都是 (n[l], m)，而不是 (m, n[l])。",
    "each row was divided by the sum of its squares: take the square root (or use np.linalg.norm).":
        "每一行除以的是它的平方和：要取平方根（或者用 np.linalg.norm）。",
    "each COLUMN was divided by its length: the lengths must run along axis=1, one per row.":
        "除的是每一列的长度：长度应沿 axis=1 计算，每行一个。",
    "each row was divided by the lengths laid out as a ROW: without keepdims=True, norm(x, axis=1) has shape (n,), which broadcasts along the rows. Keep the summed axis (keepdims=True).":
        "每一行除以的是排成一行的各个长度：没有 keepdims=True 时，norm(x, axis=1) 的形状是 (n,)，它会沿着行广播。保留求和的那个轴（keepdims=True）。",
    "Walk the graph backwards: dL/da, times the sigmoid's slope a(1 - a), and the fractions cancel (section 5 works it out). What is left depends only on the prediction a and the label y; mind the sign.":
        "沿计算图反向走：dL/da 乘以 sigmoid 的斜率 a(1 - a)，分式会相互抵消（第 5 节有推导）。剩下的只取决于预测 a 和标签 y；注意符号。",
    "To first order, a step eps*u changes J by eps times the dot product of the gradient (dw, db) = (3, -4) with u. Among directions of length 1, which makes that dot product as negative as it can be (Cauchy-Schwarz)? Its length must be 1: divide by ||(3, -4)|| = 5.":
        "在一阶近似下，走一步 eps*u 使 J 改变 eps 乘以梯度 (dw, db) = (3, -4) 与 u 的点积。在长度为 1 的方向中，哪一个让这个点积尽可能小（柯西-施瓦茨不等式）？它的长度必须是 1：除以 ||(3, -4)|| = 5。",
    "A parameter is what training changes: look at which quantities the update lines w := w - alpha dw, b := b - alpha db write to. Everything you set before calling model and that the updates never touch is a hyperparameter.":
        "参数是训练会改变的量：看更新语句 w := w - alpha dw、b := b - alpha db 写入的是哪些量。凡是你在调用 model 之前设定、且更新从不改动的，都是超参数。",
    "wrong sign in the exponent: sigmoid(z) = 1 / (1 + exp(-z)), with a MINUS before z.":
        "指数的符号不对：sigmoid(z) = 1 / (1 + exp(-z))，z 前面是负号。",
    "each COLUMN sums to 1: the sums must run along axis=1 (across each row), with keepdims=True.":
        "现在是每一列的和为 1：求和应沿 axis=1（在每一行之内），并加上 keepdims=True。",
    "subtract each row's maximum (np.max(x, axis=1, keepdims=True)) before np.exp.":
        "在 np.exp 之前先减去每一行的最大值（np.max(x, axis=1, keepdims=True)）。",
    "each column was divided by a row's total: keep the summed axis with keepdims=True.":
        "每一列除以的是某一行的总和：用 keepdims=True 保留求和的那个轴。",
    "without np.abs, positive and negative differences cancel out.":
        "没有 np.abs，正负差值会相互抵消。",
    "that is the mean of the absolute differences: the L1 loss is their sum.":
        "这是绝对差值的平均值：L1 损失是它们的和。",
    "that is the square root of the loss (the length of y - yhat): L2 is the sum of squares itself.":
        "这是损失的平方根（y - yhat 的长度）：L2 就是平方和本身。",
    "that is the mean of the squared differences: the L2 loss is their sum.":
        "这是差值平方的平均值：L2 损失是它们的和。",
    "that is the sum of the differences without squaring them.":
        "这是差值的和，没有取平方。",
    "dw and db must be averaged over the m examples: divide by m.":
        "dw 和 db 要对 m 个样本取平均：除以 m。",
    "the cost has the wrong sign: J = -1/m * sum(...), with a minus in front.":
        "代价的符号不对：J = -1/m * sum(...)，前面有负号。",
    "the cost must be averaged over the m examples: divide the sum by m.":
        "代价要对 m 个样本取平均：把和除以 m。",
    "dZ has the wrong sign: dZ = A - Y, so dw = X dZ^T / m and db = sum(dZ) / m.":
        "dZ 的符号不对：dZ = A - Y，所以 dw = X dZ^T / m，db = sum(dZ) / m。",
    "the parameters moved uphill: subtract learning_rate * gradient, do not add it.":
        "参数往上坡走了：要减去 learning_rate * 梯度，而不是加上。",
    "each step is: grads, cost = propagate(w, b, X, Y), then w and b move against their gradients.":
        "每一步是：grads, cost = propagate(w, b, X, Y)，然后 w 和 b 沿各自梯度的反方向移动。",
    "those are the probabilities A: turn them into labels with (A > 0.5).astype(float).":
        "这些是概率 A：用 (A > 0.5).astype(float) 把它们变成标签。",
    "the labels are reversed: predict 1 where the probability is ABOVE 0.5.":
        "标签反了：概率大于 0.5 的地方预测为 1。",
    "an activation of exactly 0.5 gave 1: the docstring says 1.0 where it is > 0.5, not >= 0.5.":
        "恰好为 0.5 的激活值得到了 1：文档字符串说的是 > 0.5 时为 1.0，而不是 >= 0.5。",
    "check that model passes num_iterations and learning_rate on to optimize, and predicts with the TRAINED w and b (read them from params).":
        "检查 model 是否把 num_iterations 和 learning_rate 传给了 optimize，并用训练后的 w 和 b 做预测（从 params 中读取）。",
    "The output of a cat / not-cat network is read as the probability P(y = 1 | x), so it must lie between 0 and 1. Compare the ranges in the table 'Which one where'.":
        "猫 / 非猫网络的输出被解读为概率 P(y = 1 | x)，所以它必须在 0 和 1 之间。对比「各用在哪里」那张表中的值域。",
    "Gradient descent moves a weight in proportion to how much the unit's output changes when its z changes (the slope). Look at the saturation table: how far does tanh(z) move for a nudge of 0.1 at z = 5, and at z = 10?":
        "梯度下降移动一个权重的幅度，与单元的 z 变化时其输出变化多少（斜率）成正比。看饱和那张表：在 z = 5 和 z = 10 处把 z 推动 0.1，tanh(z) 分别移动多少？",
    "Apply collapse_linear to the first two layers, then to the result and the third: what is left in front of the sigmoid, and where is sigmoid(W x + b) = 0.5?":
        "先对前两层用 collapse_linear，再对其结果和第三层用一次：sigmoid 前面还剩下什么？sigmoid(W x + b) = 0.5 在哪里？",
    "these are 1 - sigmoid(z), that is sigmoid(-z): check the sign in the exponent, or whether the two branches of np.where are swapped (1/(1+t) belongs to z >= 0, t/(1+t) to z < 0).":
        "这些是 1 - sigmoid(z)，也就是 sigmoid(-z)：检查指数的符号，或者 np.where 的两个分支是否写反了（1/(1+t) 属于 z >= 0，t/(1+t) 属于 z < 0）。",
    "the signs are flipped: tanh(z) has the sign of z (check the order e^z - e^-z, or use sign(z)).":
        "符号反了：tanh(z) 与 z 同号（检查 e^z - e^-z 的顺序，或者用 sign(z)）。",
    "every value is positive: (1 - t) / (1 + t) is tanh(|z|); multiply it by np.sign(z).":
        "所有值都是正的：(1 - t) / (1 + t) 是 tanh(|z|)；要乘以 np.sign(z)。",
    "this is tanh(z/2): the exponent is -2|z|, not -|z|.":
        "这是 tanh(z/2)：指数应是 -2|z|，而不是 -|z|。",
    "these are min(0, z): ReLU keeps the positive part, use np.maximum.":
        "这些是 min(0, z)：ReLU 保留正的部分，用 np.maximum。",
    "the negative entries became 0: that is ReLU; leaky ReLU multiplies them by alpha instead.":
        "负的元素变成了 0：那是 ReLU；Leaky ReLU 则是把它们乘以 alpha。",
    "alpha multiplies the wrong side: keep z where z > 0 and use alpha * z where z <= 0.":
        "alpha 乘错了一侧：z > 0 处保留 z，z <= 0 处用 alpha * z。",
    "the slope is still 0.01: use the argument alpha, not the number 0.01.":
        "斜率仍然是 0.01：要用参数 alpha，而不是数字 0.01。",
    "W is transposed: the layer applied first stands on the right, W = W2 @ W1.":
        "W 被转置了：先作用的层写在右边，W = W2 @ W1。",
    "b is missing b2: the second layer adds its own bias after multiplying by W2.":
        "b 中缺少 b2：第二层在乘以 W2 之后还要加上自己的偏置。",
    "b is missing b1: the first layer's bias passes through the second layer, b = W2 b1 + b2.":
        "b 中缺少 b1：第一层的偏置会经过第二层，b = W2 b1 + b2。",
    "Section 3 writes the sigmoid's derivative with its output alone: sigma'(z) = a (1 - a). You do not need z.":
        "第 3 节只用 sigmoid 的输出写出了它的导数：sigma'(z) = a (1 - a)。你不需要 z。",
    "u = b c: its local derivatives are du/db and du/dc. Which of the forward values does each of them equal? Those are the ones the backward pass must find in the cache.":
        "u = b c：它的局部导数是 du/db 和 du/dc。它们分别等于前向传播中的哪个值？反向传播必须在缓存中找到的正是这些值。",
    "Read the table of section 6: about 1e-7 or less is the numerical estimate's own error, 1e-3 or more is far beyond it. Where does 2e-2 fall, and what does a smaller epsilon change about a real error in the formula?":
        "看第 6 节的表：大约 1e-7 或更小是数值估计本身的误差，1e-3 或更大则远远超出了它。2e-2 落在哪里？对于公式里真正的错误，更小的 epsilon 又能改变什么？",
    "J is 3 times the whole sum a + bc, not 3a + bc.":
        "J 是整个和 a + bc 的 3 倍，而不是 3a + bc。",
    "the cache is (a, b, c, u, v) in this order.":
        "缓存是 (a, b, c, u, v)，按这个顺序。",
    "db and dc are swapped: u = bc changes by c when b moves (du/db = c) and by b when c moves.":
        "db 和 dc 写反了：b 变化时 u = bc 按 c 变化（du/db = c），c 变化时按 b 变化。",
    "the factor 3 is missing: every path from J to an input passes through J = 3v, so it multiplies every derivative (dv = 3 dJ).":
        "缺少因子 3：从 J 到任何输入的每条路径都经过 J = 3v，所以它要乘到每个导数上（dv = 3 dJ）。",
    "dJ is not used: start from dv = 3 * dJ.":
        "没有用到 dJ：从 dv = 3 * dJ 开始。",
    "start from dv = 3 * dJ and multiply elementwise (du * c, du * b), never with a matrix product.":
        "从 dv = 3 * dJ 开始，逐元素相乘（du * c, du * b），不要用矩阵乘积。",
    "a (1 - a) was applied to z itself: first compute a = sigmoid(z), then a * (1 - a).":
        "a (1 - a) 直接用在了 z 上：先算 a = sigmoid(z)，再算 a * (1 - a)。",
    "this is sigmoid(z) itself, not its derivative.":
        "这是 sigmoid(z) 本身，不是它的导数。",
    "this is sigmoid(z) (1 - z): the second factor is 1 - sigmoid(z).":
        "这是 sigmoid(z) (1 - z)：第二个因子应是 1 - sigmoid(z)。",
    "1 - a² was applied to z itself: first compute a = tanh(z), then 1 - a**2.":
        "1 - a² 直接用在了 z 上：先算 a = tanh(z)，再算 1 - a**2。",
    "the square is missing: 1 - tanh(z)**2.":
        "缺少平方：1 - tanh(z)**2。",
    "this is tanh(z)**2: the derivative is 1 minus that.":
        "这是 tanh(z)**2：导数是 1 减去它。",
    "inf/inf = nan at z = -1000 and 1000: exp, sinh and cosh of 1000 overflow to inf, and their ratio is nan. Compute a = np.tanh(z) (or the tanh above), which never overflows, then 1 - a**2.":
        "在 z = -1000 和 1000 处 inf/inf = nan：1000 的 exp、sinh 和 cosh 都溢出为 inf，它们的比值是 nan。先算 a = np.tanh(z)（或上面的 tanh），它永远不会溢出，再算 1 - a**2。",
    "this is ReLU itself; its derivative is the slope: 1 where z > 0, 0 elsewhere.":
        "这是 ReLU 本身；它的导数是斜率：z > 0 处为 1，其余为 0。",
    "the slopes are swapped: 1 where z > 0 and 0 where z < 0.":
        "斜率写反了：z > 0 处为 1，z < 0 处为 0。",
    "np.sign(z) is -1 where z < 0, but the slope there is 0.":
        "np.sign(z) 在 z < 0 处是 -1，但那里的斜率是 0。",
    "this is clip(z, 0, 1), not the slope: 1 for every z > 0, however small.":
        "这是 clip(z, 0, 1)，不是斜率：对每个 z > 0，无论多小，斜率都是 1。",
    "these are ReLU's slopes: leaky ReLU's slope for z <= 0 is alpha, not 0.":
        "这些是 ReLU 的斜率：Leaky ReLU 在 z <= 0 处的斜率是 alpha，不是 0。",
    "the slope for z <= 0 is the number alpha, not alpha * z.":
        "z <= 0 处的斜率是数 alpha，而不是 alpha * z。",
    "this is leaky ReLU itself, not its slope.":
        "这是 Leaky ReLU 本身，不是它的斜率。",
    "the alpha argument is ignored: the slope for z <= 0 is the alpha passed in (here 0.2), not the number 0.01.":
        "忽略了参数 alpha：z <= 0 处的斜率是传入的 alpha（这里是 0.2），而不是数字 0.01。",
    "this is the one-sided difference (f(z + eps) - f(z)) / eps: use f(z + eps) - f(z - eps).":
        "这是单侧差分 (f(z + eps) - f(z)) / eps：要用 f(z + eps) - f(z - eps)。",
    "this is the one-sided difference (f(z) - f(z - eps)) / eps: use f(z + eps) - f(z - eps).":
        "这是单侧差分 (f(z) - f(z - eps)) / eps：要用 f(z + eps) - f(z - eps)。",
    "the 2 is missing: the two points are 2 * epsilon apart.":
        "缺少 2：两个点相距 2 * epsilon。",
    "the epsilon argument is ignored: use the epsilon passed in, not the number 1e-7.":
        "忽略了参数 epsilon：要用传入的 epsilon，而不是数字 1e-7。",
    "num is all zeros (a difference of 1.0): x_plus = x is x under a second name, so the two nudges cancel. Nudge copies: x_plus = x.copy().":
        "num 全是零（差值为 1.0）：x_plus = x 只是 x 的另一个名字，所以两次扰动相互抵消。要扰动副本：x_plus = x.copy()。",
    "num is twice the gradient (a difference of 1/3): the two points are 2 * epsilon apart.":
        "num 是梯度的两倍（差值为 1/3）：两个点相距 2 * epsilon。",
    "print num: it should be close to 3 x² = [[3], [12], [27]]. A difference near 1e-3 or more may mean a one-sided difference or a wrong denominator.":
        "把 num 打印出来：它应当接近 3 x² = [[3], [12], [27]]。差值在 1e-3 左右或更大，可能是用了单侧差分或分母不对。",
    "this is ||grad - num|| alone: divide by ||grad|| + ||num||.":
        "这只是 ||grad - num||：还要除以 ||grad|| + ||num||。",
    "the denominator is ||grad + num||; it should be ||grad|| + ||num||.":
        "分母用了 ||grad + num||；应当是 ||grad|| + ||num||。",
    "the result should be ||grad - num|| / (||grad|| + ||num||) with np.linalg.norm.":
        "结果应当是 ||grad - num|| / (||grad|| + ||num||)，用 np.linalg.norm 计算。",
    "the epsilon argument is ignored: nudge by the epsilon passed in, not by 1e-7.":
        "忽略了参数 epsilon：按传入的 epsilon 扰动，而不是按 1e-7。",
    "this is what a one-sided difference (f(x + eps) - f(x)) / eps gives: use the centred one, (f(x + eps) - f(x - eps)) / (2 eps).":
        "这是单侧差分 (f(x + eps) - f(x)) / eps 的结果：要用中心差分 (f(x + eps) - f(x - eps)) / (2 eps)。",
    "every entry of x must move on its own: loop over np.ndindex(x.shape) (for i in range(len(x)) moves whole rows of a matrix).":
        "x 的每个元素都要单独扰动：对 np.ndindex(x.shape) 循环（for i in range(len(x)) 会移动矩阵的整行）。",
    "0/0 is nan: when ||grad|| + ||num|| is 0 (both gradients all zeros), return 0.0 as the docstring says.":
        "0/0 是 nan：当 ||grad|| + ||num|| 为 0（两个梯度全为零）时，按文档字符串所说返回 0.0。",
    "the draws were not multiplied by 0.01: the weights must start small.":
        "随机数没有乘以 0.01：权重一开始必须很小。",
    "the draws were divided by 0.01: multiply them by 0.01.":
        "随机数被除以了 0.01：应当乘以 0.01。",
    "Y - 1 wrapped around to 255 where y = 0: the labels are uint8 (unsigned). Write (1 - Y), as in the formula.":
        "在 y = 0 处 Y - 1 回绕成了 255：标签是 uint8（无符号）。按公式写成 (1 - Y)。",
    "this call ran with the course's own initialize_parameters, forward_propagation, compute_cost, backward_propagation and update_parameters: look at nn_model's loop (num_iterations steps, learning_rate passed on, the new parameters fed to the next pass).":
        "这次调用用的是课程自己的 initialize_parameters、forward_propagation、compute_cost、backward_propagation 和 update_parameters：检查 nn_model 的循环（num_iterations 步，把 learning_rate 传下去，新的参数送入下一轮）。",
    "A gradient has the shape of the array it is the gradient of: dW1 tells how the cost changes with each entry of W1. Look up W[1] in the table of section 3: one row per hidden unit, one column per input feature.":
        "梯度与它所对应的数组形状相同：dW1 说明代价随 W1 的每个元素如何变化。在第 3 节的表中查 W[1]：每个隐藏单元一行，每个输入特征一列。",
    "Parameters are what gradient descent changes at every step (update_parameters moves them); a hyperparameter is fixed before training starts and decides what gradient descent does. Which of the four is an argument you give nn_model, never changed by the loop?":
        "参数是梯度下降每一步都会改变的量（由 update_parameters 移动）；超参数在训练开始前就固定下来，决定梯度下降怎样进行。四个选项中，哪一个是你传给 nn_model、且循环从不改变的量？",
    "A figure used to choose a setting is flattered by the choice: the best of 16 is partly high by luck. Only a set that played no part in any choice gives an honest estimate for new data, and it stays honest only if it is measured once.":
        "用来做选择的数字会因为这个选择而偏高：16 个里最好的那个，部分是靠运气才高。只有从未参与任何选择的数据集，才能对新数据给出诚实的估计；而且只有只测一次，它才保持诚实。",
    "n_x and n_y are the numbers of ROWS (shape[0]); shape[1] is m, the number of examples.":
        "n_x 和 n_y 是行数（shape[0]）；shape[1] 是 m，即样本数。",
    "b1 was not added: Z1 = W1 @ X + b1 (numpy adds the column b1 to every column).":
        "没有加上 b1：Z1 = W1 @ X + b1（numpy 会把列向量 b1 加到每一列上）。",
    "the hidden layer uses tanh, not the sigmoid.":
        "隐藏层用 tanh，而不是 sigmoid。",
    "the output layer uses the sigmoid (a probability between 0 and 1), not tanh.":
        "输出层用 sigmoid（0 到 1 之间的概率），而不是 tanh。",
    "A2 is the output (the sigmoid of Z2); the cache holds Z1, A1 = tanh(Z1), Z2 and A2.":
        "A2 是输出（Z2 的 sigmoid）；缓存中存放 Z1、A1 = tanh(Z1)、Z2 和 A2。",
    "the sum was not divided by m (the cost is an average).":
        "和没有除以 m（代价是平均值）。",
    "the sign is wrong: the cost is MINUS the average of the log-probabilities (it is never negative).":
        "符号不对：代价是对数概率平均值的相反数（它永远不会是负的）。",
    "the (1 - y) * log(1 - a2) term is missing: it is the one that counts for y = 0.":
        "缺少 (1 - y) * log(1 - a2) 这一项：y = 0 时起作用的正是它。",
    "the sums over the examples were not divided by m.":
        "对样本的求和没有除以 m。",
    "the sign is flipped: dZ2 = A2 - Y (prediction minus label).":
        "符号反了：dZ2 = A2 - Y（预测减标签）。",
    "the slope of tanh is 1 - A1 ** 2, not the sigmoid's A1 * (1 - A1).":
        "tanh 的斜率是 1 - A1 ** 2，而不是 sigmoid 的 A1 * (1 - A1)。",
    "the slope of tanh is 1 - A1 ** 2 (A1 = tanh(Z1)), not 1 - Z1 ** 2.":
        "tanh 的斜率是 1 - A1 ** 2（A1 = tanh(Z1)），而不是 1 - Z1 ** 2。",
    "dZ2 = A2 - Y, dW2 = dZ2 A1^T / m, db2 = the sum of dZ2 over its columns / m; dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2), dW1 = dZ1 X^T / m, db1 likewise.":
        "dZ2 = A2 - Y，dW2 = dZ2 A1^T / m，db2 = dZ2 各列之和 / m；dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)，dW1 = dZ1 X^T / m，db1 同理。",
    "the step goes the wrong way: subtract learning_rate * gradient (descend, do not climb).":
        "方向走反了：要减去 learning_rate * 梯度（下降，而不是上升）。",
    "the learning rate was not used: the step is learning_rate * gradient.":
        "没有用到学习率：步长是 learning_rate * 梯度。",
    "one iteration short: the loop runs num_iterations times (range(num_iterations)).":
        "少了一次迭代：循环要运行 num_iterations 次（range(num_iterations)）。",
    "the parameters never changed: assign what update_parameters returns to `parameters`, inside the loop.":
        "参数从未改变：在循环内部把 update_parameters 的返回值赋给 `parameters`。",
    "the learning rate was 1.2 whatever learning_rate says: pass learning_rate on to update_parameters.":
        "不管 learning_rate 是多少，学习率都是 1.2：要把 learning_rate 传给 update_parameters。",
    "nn_model calls your other functions: if one of their checks fails, fix it first (the grade judges nn_model with correct ones). Otherwise look at the loop: forward, cost, backward, then update with learning_rate, num_iterations times, feeding the new parameters to the next pass.":
        "nn_model 调用了你的其他函数：如果其中某个的检查没通过，先修好它（评分时 nn_model 用的是正确的版本）。否则检查循环：前向传播、代价、反向传播，然后用 learning_rate 更新，共 num_iterations 次，并把新的参数送入下一轮。",
    "these are probabilities: turn them into classes with A2 > 0.5.":
        "这些是概率：用 A2 > 0.5 把它们变成类别。",
    "the classes are swapped: class 1 is where the probability is ABOVE 0.5.":
        "类别反了：概率大于 0.5 的地方是类别 1。",
    "A2 = 0.5 exactly (the last column) gave 1: the docstring says 1 where the probability is above 0.5, so A2 > 0.5, not >= 0.5.":
        "A2 恰好等于 0.5（最后一列）时得到了 1：文档字符串说概率大于 0.5 时为 1，所以是 A2 > 0.5，而不是 >= 0.5。",
    "With every weight 0, A1 = tanh(0) = 0. Write dW2 = dZ2 A1^T / m and dZ1 = W2^T dZ2 * (1 - A1^2) and ask which of them can be non-zero when A1 and W2 are zero; then what the update does to W1. Section 2 ran exactly this.":
        "所有权重都为 0 时，A1 = tanh(0) = 0。写出 dW2 = dZ2 A1^T / m 和 dZ1 = W2^T dZ2 * (1 - A1^2)，想一想当 A1 和 W2 都为零时，哪一个可能不为零；再想一想更新会对 W1 做什么。第 2 节运行的正是这个例子。",
    "The gradient that reaches the unit's incoming weights is multiplied by the slope of tanh at its z, 1 - tanh(z)^2. How large is tanh(20), and so that slope? Section 5 counts such gradients.":
        "传到该单元输入权重上的梯度要乘以 tanh 在其 z 处的斜率 1 - tanh(z)^2。tanh(20) 有多大？这个斜率又有多大？第 5 节统计了这样的梯度。",
    "He's scale makes the ReLU gain (1/2) n sigma^2 equal to 1, where n is the number of inputs of the layer, n[l-1]: solve for sigma.":
        "He 的缩放让 ReLU 的增益 (1/2) n sigma^2 等于 1，其中 n 是该层的输入个数 n[l-1]：解出 sigma。",
    "that is He's sqrt(2 / n[l-1]), meant for ReLU: tanh needs sqrt(1 / n[l-1]).":
        "这是 He 的 sqrt(2 / n[l-1])，是为 ReLU 设计的：tanh 需要 sqrt(1 / n[l-1])。",
    "the spread used n[l], the units of this layer: divide by n[l-1], the number of inputs.":
        "分布宽度用了 n[l]，即本层的单元数：应除以 n[l-1]，即输入个数。",
    "that is Glorot and Bengio's average sqrt(2 / (n[l-1] + n[l])); this course uses sqrt(1 / n[l-1]).":
        "这是 Glorot 和 Bengio 的平均形式 sqrt(2 / (n[l-1] + n[l]))；本课程用的是 sqrt(1 / n[l-1])。",
    "the spread is 1 / n[l-1], the variance: take its square root.":
        "分布宽度用了 1 / n[l-1]，这是方差：要取它的平方根。",
    "the standard deviation came out as scale**2: multiply the draws by scale itself.":
        "标准差变成了 scale**2：随机数应乘以 scale 本身。",
    "the draws were not multiplied by scale.":
        "随机数没有乘以 scale。",
    "the draws were divided by scale: multiply them.":
        "随机数被除以了 scale：应当乘以它。",
    "the spread used n[l], the units of this layer: He scaling divides by n[l-1], the number of inputs of each unit.":
        "分布宽度用了 n[l]，即本层的单元数：He 缩放除以的是 n[l-1]，即每个单元的输入个数。",
    "that is Xavier's sqrt(1 / n[l-1]): ReLU zeroes half of its inputs, which He scaling makes up for with the 2.":
        "这是 Xavier 的 sqrt(1 / n[l-1])：ReLU 会把一半的输入置零，He 缩放用那个 2 来弥补。",
    "the spread is 2 / n[l-1], the variance: take its square root for the standard deviation.":
        "分布宽度用了 2 / n[l-1]，这是方差：取它的平方根才是标准差。",
    "every unit came out symmetric: each row equals itself; leave out the comparison of a row with itself (the diagonal).":
        "每个单元都被判为对称：每一行都等于它自己；要去掉一行与它自身的比较（对角线）。",
    "rows 1 and 5 were taken as twins: the signed differences (-0.5, 0.5, 0) add up to 0. Compare absolute differences (the largest |W[j, k] - W[i, k]|).":
        "第 1 行和第 5 行被当成了孪生行：带符号的差值 (-0.5, 0.5, 0) 加起来是 0。要比较绝对差值（最大的 |W[j, k] - W[i, k]|）。",
    "rows 3 and 4 (equal up to 1e-12) were not matched: compare with the tolerance tol, not with ==.":
        "第 3 行和第 4 行（在 1e-12 以内相等）没有被配对：要按容差 tol 比较，而不是用 ==。",
    "rows 0 and 2 were not matched: they are not neighbours. Compare every pair of rows, not only row j with row j + 1.":
        "第 0 行和第 2 行没有被配对：它们不相邻。要比较每一对行，而不只是第 j 行与第 j + 1 行。",
    "a unit with two twins came out as 2: the result is True or False per unit (np.any), not a count of its twins.":
        "有两个孪生行的单元得到了 2：结果是每个单元一个 True 或 False（np.any），而不是它的孪生行个数。",
    "every unit came out symmetric: leave out the comparison of a row with itself (the diagonal).":
        "每个单元都被判为对称：要去掉一行与它自身的比较（对角线）。",
    "rows 0 and 1 (0.05 apart) were not matched with tol=0.1: compare with the tol argument, not a fixed 1e-8.":
        "tol=0.1 时第 0 行和第 1 行（相差 0.05）没有被配对：要用参数 tol 比较，而不是固定的 1e-8。",
    "The cache holds what the backward step of the same layer will read: dW = dZ A_prev^T / m, dA_prev = W^T dZ and dZ = dA * g'(Z). Which arrays appear on the right of these formulas? (Gradients are computed in the backward pass, so no forward step can store them.)":
        "缓存里存放的是同一层的反向步骤要读取的东西：dW = dZ A_prev^T / m，dA_prev = W^T dZ，dZ = dA * g'(Z)。这些公式右边出现了哪些数组？（梯度是在反向传播中计算的，所以前向步骤无法存放它们。）",
    "dA1 is the gradient with respect to A1, so it has the shape of A1: one row per unit of layer 1 (n[1] of them), one column per example.":
        "dA1 是关于 A1 的梯度，所以它的形状与 A1 相同：第 1 层每个单元一行（共 n[1] 行），每个样本一列。",
    "Layer l has n[l] x n[l-1] weights and n[l] biases; add them up for l = 1, 2, 3 (the input layer 0 has none).":
        "第 l 层有 n[l] x n[l-1] 个权重和 n[l] 个偏置；把 l = 1, 2, 3 的加起来（输入层 0 没有参数）。",
    "the weights are the raw draws: divide W[l] by np.sqrt(n[l-1]), the size of the layer before.":
        "权重就是原始的随机数：要把 W[l] 除以 np.sqrt(n[l-1])，即前一层的大小。",
    "divide by the square root of n[l-1] (the inputs of the layer), not of n[l].":
        "要除以 n[l-1]（该层的输入个数）的平方根，而不是 n[l] 的。",
    "this notebook scales by 1/sqrt(n[l-1]), not by 0.01.":
        "本笔记本按 1/sqrt(n[l-1]) 缩放，而不是乘以 0.01。",
    "the weights ignore the generator passed as rng: draw with rng.standard_normal(...), not np.random.randn(...) or a generator of your own.":
        "权重没有使用作为 rng 传入的生成器：用 rng.standard_normal(...) 抽取，而不是 np.random.randn(...) 或你自己的生成器。",
    "the bias is missing: Z = W A + b.":
        "缺少偏置：Z = W A + b。",
    "relu and sigmoid are swapped: follow the string `activation`.":
        "relu 和 sigmoid 用反了：按字符串 `activation` 来选。",
    "the activation cache must be Z (what the backward step needs), not A.":
        "激活缓存必须是 Z（反向步骤需要的），而不是 A。",
    "the hidden layers must use relu, only the last layer sigmoid.":
        "隐藏层必须用 relu，只有最后一层用 sigmoid。",
    "the last layer must use sigmoid, so that AL is a probability.":
        "最后一层必须用 sigmoid，这样 AL 才是概率。",
    "the hidden layers apply no activation at all: use relu.":
        "隐藏层完全没有用激活函数：要用 relu。",
    "one cache per layer, the output layer included; L = len(parameters) // 2.":
        "每层一个缓存，包括输出层；L = len(parameters) // 2。",
    "the cost is an average: divide the sum by m.":
        "代价是平均值：把和除以 m。",
    "the sign is wrong: log of a probability is negative, and the cost must be positive.":
        "符号不对：概率的对数是负的，而代价必须是正的。",
    "for y = 0 the loss is -log(1 - a), not -log(a).":
        "y = 0 时损失是 -log(1 - a)，而不是 -log(a)。",
    "dW is an average over the examples: divide dZ A_prev^T by m.":
        "dW 是对样本的平均：把 dZ A_prev^T 除以 m。",
    "db is an average over the examples: divide the sum by m.":
        "db 是对样本的平均：把和除以 m。",
    "dA_prev = W^T dZ has no 1/m: each column is one example's own derivative.":
        "dA_prev = W^T dZ 没有 1/m：每一列都是一个样本自己的导数。",
    "compute dA_prev only under `if need_dA_prev:`; leave it None otherwise.":
        "只在 `if need_dA_prev:` 下计算 dA_prev；否则让它保持 None。",
    "this is the result for sigmoid: use the backward helper that matches `activation`.":
        "这是 sigmoid 的结果：要用与 `activation` 相符的反向辅助函数。",
    "this is the result for relu: use the backward helper that matches `activation`.":
        "这是 relu 的结果：要用与 `activation` 相符的反向辅助函数。",
    "pass need_dA_prev on to linear_backward.":
        "把 need_dA_prev 传给 linear_backward。",
    "the step goes against the gradient: subtract learning_rate * gradient, do not add it.":
        "这一步的方向反了：要减去 learning_rate * 梯度，而不是加上。",
    "the biases did not move: update b[l] too.":
        "偏置没有变化：b[l] 也要更新。",
    "multiply the gradient by learning_rate.":
        "梯度要乘以 learning_rate。",
    "The course counts the layers that compute, those with a W and a b; layer 0, the input, has none. layers_dims lists the input size too, so it has one entry more than there are layers.":
        "本课程只数做计算的层，也就是有 W 和 b 的层；第 0 层是输入，没有它们。layers_dims 还列出了输入的大小，所以它的元素比层数多一个。",
    "Compare the two numbers: on the photos it learnt from, the network is perfect; on new photos, much worse. A model that could not fit would be poor on both; a broken gradient would not reach 100 % on the training photos.":
        "比较这两个数：在它学过的照片上，网络是完美的；在新照片上则差得多。无法拟合的模型在两者上都会很差；梯度有错的网络在训练照片上也达不到 100 %。",
    "Reread what the theorem promises in section 8: it is about what some network with one hidden layer can represent, given enough units. It says nothing about how many units, about gradient descent finding the weights, or about new examples.":
        "重读第 8 节里这个定理承诺了什么：它讲的是，只要单元足够多，某个只有一个隐藏层的网络能够表示什么。它没有说需要多少单元，没有说梯度下降能找到这些权重，也没有说新样本上的表现。",
    "start from initialize_parameters(n_x, n_h, n_y) (x 0.01), not the deep initialisation.":
        "从 initialize_parameters(n_x, n_h, n_y)（x 0.01）开始，而不是深层网络的初始化。",
    "the cost did not move: update the parameters at every iteration.":
        "代价没有变化：每次迭代都要更新参数。",
    "if costs[0] is right, the forward pass is: check dA2, the backward calls (layer 2 with 'sigmoid', layer 1 with 'relu') and the names in grads.":
        "如果 costs[0] 是对的，前向传播就是对的：检查 dA2、反向调用（第 2 层用 'sigmoid'，第 1 层用 'relu'）以及 grads 里的名字。",
    "start from initialize_parameters_deep(layers_dims) (divided by sqrt(n[l-1])), not x 0.01.":
        "从 initialize_parameters_deep(layers_dims)（除以 sqrt(n[l-1])）开始，而不是 x 0.01。",
    "the predictions are the labels y: predict from the network's output, y is only for the accuracy.":
        "预测结果就是标签 y：要根据网络的输出来预测，y 只用来计算准确率。",
    "AL = 0.5 exactly gives 0: the docstring says 1 where the output is > 0.5, not >= 0.5.":
        "AL 恰好等于 0.5 时结果应是 0：文档字符串说输出 > 0.5 时为 1，而不是 >= 0.5。",
    "compare the network's output AL with 0.5: 1 where AL > 0.5.":
        "把网络的输出 AL 与 0.5 比较：AL > 0.5 处为 1。",
    "the result is the expected one transposed: rows and columns are swapped (examples are columns in this course).":
        "结果是期望值的转置：行和列对调了（本课程中样本是列）。",
    "np.exp of a large positive number overflows (np.exp(710.0) is inf, with a warning). Rearrange the formula so that exp only ever sees numbers <= 0, for example exp(-|z|), and pick the form by the sign of z with np.where.":
        "对很大的正数做 np.exp 会溢出（np.exp(710.0) 是 inf，并伴随警告）。改写公式，让 exp 只会遇到 <= 0 的数，例如 exp(-|z|)，再用 np.where 按 z 的符号选择形式。",
    "does the function end with its `return` line, and is the result assigned to the name that line returns?":
        "函数是否以它的 `return` 那一行结束？结果是否赋给了那一行返回的名字？",
    "key names are case-sensitive and follow the course notation (\"W1\", \"b1\", \"dW1\"...).":
        "键名区分大小写，并遵循课程的记号（\"W1\", \"b1\", \"dW1\"...）。",
    "return all the results, separated by commas, in the order the docstring gives.":
        "返回所有结果，用逗号分隔，按文档字符串给出的顺序。",
    "the docstring lists what to return, in order.":
        "文档字符串按顺序列出了要返回的内容。",
    "return a numpy array (np.array(...)), not a list.":
        "返回 numpy 数组（np.array(...)），而不是列表。",
    "a numpy array is expected here; np.dot, np.sum(..., keepdims=True) and reshape all return arrays.":
        "这里应当是 numpy 数组；np.dot、np.sum(..., keepdims=True) 和 reshape 返回的都是数组。",
    "write down the shape of every array in the formula, as the notebook's shape table does.":
        "像笔记本里的形状表那样，写下公式中每个数组的形状。",
    "a row where a column is expected (or the reverse): check the axis you used.":
        "应当是列的地方得到了行（或者相反）：检查你用的轴。",
    "the shape is transposed: examples are columns in this course (X is (n_x, m)); check the order of a reshape or a missing .T.":
        "形状被转置了：本课程中样本是列（X 是 (n_x, m)）；检查 reshape 的顺序，或是否漏了 .T。",
    "same number of entries, different shape: check the arguments of reshape.":
        "元素个数相同，形状不同：检查 reshape 的参数。",
    "one axis too many or too few: keepdims=True keeps the summed axis.":
        "多了或少了一个轴：keepdims=True 会保留求和的那个轴。",
    "an integer array rounds every result down; start from a float array (np.zeros(..., dtype=float), or X.astype(float)).":
        "整数数组会把每个结果向下取整；从浮点数组开始（np.zeros(..., dtype=float)，或 X.astype(float)）。",
    "an exp() of a large number overflows to inf, and inf/inf or 0*log(0) gives nan; check the sign in the exponent and the order of operations.":
        "对很大的数做 exp() 会溢出为 inf，而 inf/inf 或 0*log(0) 会得到 nan；检查指数的符号和运算的顺序。",
    "use float(...) to turn a one-element array into a number":
        "用 float(...) 把只有一个元素的数组变成一个数",
    "a single number is expected, not an array":
        "这里应当是一个数，而不是数组",
    "log(0) gives -inf and 0*inf gives nan: check the formula near 0 and 1.":
        "log(0) 得到 -inf，0*inf 得到 nan：检查公式在 0 和 1 附近的情况。",
    "the draws fill the matrix column by column: draw rng.standard_normal((n[l], n[l-1])) in that shape, not its transpose.":
        "随机数被按列填进了矩阵：要按 rng.standard_normal((n[l], n[l-1])) 这个形状抽取，而不是它的转置。",
    "draw every weight from the rng argument with rng.standard_normal(shape) (or rng.normal); a generator of your own (np.random.default_rng(...)) or another distribution gives other numbers, and the same rng must give the same weights.":
        "每个权重都要用 rng.standard_normal(shape)（或 rng.normal）从参数 rng 中抽取；你自己的生成器（np.random.default_rng(...)）或别的分布会给出不同的数，而同一个 rng 必须给出同样的权重。",
    "a loop over the examples runs once per column, here or in a function it calls; numpy's functions (np.dot, np.sum, np.exp, a comparison like A > 0.5) work on whole arrays at once.":
        "对样本的循环每一列运行一次，无论是在这里还是在它调用的函数里；numpy 的函数（np.dot、np.sum、np.exp，以及 A > 0.5 这样的比较）一次就作用于整个数组。",
    "do not call np.random.seed, np.random.randn, np.random.rand, ...: draw only from the generator passed in (rng.standard_normal(shape)).":
        "不要调用 np.random.seed、np.random.randn、np.random.rand 等：只从传入的生成器抽取（rng.standard_normal(shape)）。",
    "look for a loop that never ends (a counter that is never increased) or for work repeated inside the loop that could be done once.":
        "找一找永不结束的循环（一个从不增加的计数器），或者循环里重复做、其实只需做一次的工作。",
    "the random weights already make the units differ: start b at np.zeros((n[l], 1)).":
        "随机的权重已经让各单元互不相同：b 从 np.zeros((n[l], 1)) 开始。",
    "draw from a distribution with mean 0: rng.standard_normal(shape) (rng.random draws from [0, 1), whose mean is 0.5).":
        "从均值为 0 的分布中抽取：rng.standard_normal(shape)（rng.random 从 [0, 1) 中抽取，其均值是 0.5）。",
    "multiply standard normal draws, rng.standard_normal((n[l], n[l-1])), by the standard deviation the docstring gives.":
        "把标准正态随机数 rng.standard_normal((n[l], n[l-1])) 乘以文档字符串给出的标准差。",
    "the rule counts the Python lines the function runs, to tell a loop over the examples from whole-array code; do not call sys.settrace or sys.setprofile.":
        "这条规则统计函数运行的 Python 行数，以区分对样本的循环和整个数组的代码；不要调用 sys.settrace 或 sys.setprofile。",
    "a loop over examples runs once per column; numpy's functions (np.dot, np.sum, np.exp, ...) work on whole arrays at once. Only a loop over a fixed handful of items written out (a literal tuple, range(3)) is allowed.":
        "对样本的循环每一列运行一次；numpy 的函数（np.dot、np.sum、np.exp 等）一次就作用于整个数组。只允许对写明的、固定的少数几项做循环（字面的元组、range(3)）。",
    "an in-place operation (x /= ..., x[...] = ..., d[key] = ...) changes the caller's array or dict; compute a new value instead (x = x / ..., a new dict).":
        "原地操作（x /= ...、x[...] = ...、d[key] = ...）会改变调用者的数组或字典；改为计算一个新值（x = x / ...，一个新字典）。",
    "end with `return parameters, costs`.":
        "以 `return parameters, costs` 结束。",
    "costs is a Python list: costs.append(cost) at iterations 0, 100, 200, ...":
        "costs 是 Python 列表：在迭代 0, 100, 200, ... 时执行 costs.append(cost)",
    "record the cost when i % 100 == 0 (iterations 0, 100, 200, ...), once per such iteration.":
        "在 i % 100 == 0 时记录代价（迭代 0, 100, 200, ...），每个这样的迭代记录一次。",
    "draw the whole (n[l], n[l-1]) matrix at once; a single row broadcast over the units makes them all the same.":
        "一次抽取整个 (n[l], n[l-1]) 矩阵；把一行广播到所有单元上会让它们完全相同。",
    "the function must work for any number of examples m (read m from X.shape[1]), not only for the example's.":
        "函数必须对任意样本数 m 都能工作（从 X.shape[1] 读取 m），而不只是示例中的那个。",
    "the cost or a gradient overflowed: check dA of the last layer and the learning rate passed in.":
        "代价或某个梯度溢出了：检查最后一层的 dA 和传入的学习率。",
    "hiding the warning leaves the formula unstable: np.exp(-z) still overflows for z = -1000. Rearrange it so that exp only sees numbers <= 0 (np.where on the sign of z).":
        "隐藏警告并不能让公式变稳定：z = -1000 时 np.exp(-z) 仍然溢出。改写公式，让 exp 只会遇到 <= 0 的数（按 z 的符号用 np.where）。",
    "np.exp of a large positive number overflows (np.exp(710.0) is inf). Rearrange the formula so that exp only ever sees numbers <= 0, for example exp(-|z|), and pick the form by the sign of z with np.where.":
        "对很大的正数做 np.exp 会溢出（np.exp(710.0) 是 inf）。改写公式，让 exp 只会遇到 <= 0 的数，例如 exp(-|z|)，再用 np.where 按 z 的符号选择形式。",
}

TEMPLATES = {
    "that is a rank-1 array: numpy gives shape (n,) when a sum or a slice drops an axis. Keep it a column or row with keepdims=True or .reshape{}.":
        "这是秩为 1 的数组：求和或切片丢掉一个轴时，numpy 给出形状 (n,)。用 keepdims=True 或 .reshape{} 让它保持为列或行。",
    "the first failing row ({}) names the first broken step: check its formula and the shapes it multiplies.":
        "第一个失败的行（{}）指出了第一个出错的步骤：检查它的公式和它相乘的形状。",
    "one weight matrix and one bias vector per layer, l = 1..{}: loop over range(1, len(layer_dims)).":
        "每层一个权重矩阵和一个偏置向量，l = 1..{}：对 range(1, len(layer_dims)) 循环。",
    "draw {}, each with one rng.standard_normal((n[l], n[l-1])) call, and nothing else from the generator before or between them.":
        "按 {} 的顺序抽取，每个用一次 rng.standard_normal((n[l], n[l-1])) 调用，在它们之前和之间不要从生成器抽取任何别的东西。",
    "use the argument(s) {} receives; the grader calls {} on other inputs, where the notebook's {} is not the data.":
        "使用 {0} 接收到的参数；评分程序会用别的输入调用 {1}，那时笔记本里的 {2} 并不是数据。",
    "key names are case-sensitive and follow the course notation (\"dW1\", \"db1\", \"dA1\"...) ({} may be left out).":
        "键名区分大小写，并遵循课程的记号（\"dW1\", \"db1\", \"dA1\"...）（{} 可以省略）。",
    "grads holds the gradients the docstring lists, under those names ({} may be left out).":
        "grads 存放文档字符串列出的梯度，用的就是那些名字（{} 可以省略）。",
    "draw {}, one rng.standard_normal((n[l], n[l-1])) call each: the same generator then gives the same weights as the course's, and its figures.":
        "按 {} 的顺序抽取，每个一次 rng.standard_normal((n[l], n[l-1])) 调用：这样同一个生成器就会给出与课程相同的权重，以及相同的图。",
}

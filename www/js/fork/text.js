// The fork view's words, in the page's languages (the module is fetched only when a reader forks).

export const words = {
  en: {
    go: 'Go to where they part',
    leave: 'Leave the fork',
    same: 'The two runs are the same so far: click an arrow of the fork (right, or below) to lose it, or open its menu (right click, Shift+Enter) to delay or duplicate it.',
    parts: (time, what) => `The runs part at ${time}: ${what}. What both share is greyed; where they part is ringed in both.`,
    fate: (segment) => `${segment} has another fate`,
    segment: (segment) => `${segment} differs`,
    state: (side) => `the ${side}'s state changes differently`,
    timer: (side) => `the ${side}'s timers differ`,
    app: (side) => `the ${side}'s application sees something else`,
    end: 'one run ends while the other goes on',
  },
  'zh-Hans': {
    go: '跳到分开之处',
    leave: '退出分叉',
    same: '两次运行目前完全相同：点分叉（右侧或下方）中的箭头让它丢失，或打开它的菜单（右键、Shift+Enter）让它延迟或重复。',
    parts: (time, what) => `两次运行在 ${time} 分开：${what}。两者相同的部分显示为灰色，分开之处在两边都圈出。`,
    fate: (segment) => `${segment}的命运不同`,
    segment: (segment) => `${segment}不同`,
    state: (side) => `${side}的状态变化不同`,
    timer: (side) => `${side}的计时器不同`,
    app: (side) => `${side}的应用看到的不同`,
    end: '一次运行结束了，另一次还在继续',
  },
};

declare module 'echarts-gl';
